package lib;

/** A registry user and its secret (password or token). {@code toString()} never shows the secret. */
public record Credential(String username, String secret) {
    @Override
    public String toString() {
        return "Credential[username=" + username + ", secret=***]";
    }
}
