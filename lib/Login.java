package lib;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The last step every login script shares: the secret is masked before anything else, written only
 * into the 0600 docker config, and the result reported: Actions outputs {@code registry} and
 * {@code expires-at}, and one line naming the registry, the kind of identity used and the expiry.
 */
public final class Login {
    private Login() {}

    /** What a login produced. {@code identity} names the kind (e.g. "web identity"), never a key. */
    public record Result(String registry, Credential credential, Instant expiresAt, String identity) {
        @Override
        public String toString() {
            return "Login.Result[registry=" + registry + ", credential=" + credential + ", expiresAt=" + expiresAt
                    + ", identity=" + identity + "]";
        }
    }

    public static void store(Result login, DockerConfig config, Ci ci, PrintStream out) {
        ci.mask(login.credential().secret());
        config.putAuth(login.registry(), login.credential());
        ci.output("registry", login.registry());
        if (login.expiresAt() != null) ci.output("expires-at", login.expiresAt().toString());
        out.println("logged in to " + login.registry() + " with " + login.identity()
                + (login.expiresAt() != null ? ", valid until " + login.expiresAt() : "")
                + "; credentials in " + config.file());
    }
}
