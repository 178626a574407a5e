import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.TimeUnit;

/**
 * The real daemons every end-to-end test runs against, from tests/testbed/testbed.sh: a dockerd
 * with buildx, and two authenticated registries standing in for AWS and Azure. Started once per
 * test JVM; stopped at its end only when this run started it (a developer's running testbed stays).
 */
final class Testbed {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("tests/testbed/testbed.sh");
    private static Testbed instance;

    final Map<String, String> env;

    private Testbed(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    static synchronized Testbed get() {
        if (instance != null) return instance;
        Map<String, String> knobs = new HashMap<>();
        knobs.put("TESTBED_DIR", System.getenv().getOrDefault("TESTBED_DIR", "/tmp/cib-testbed"));
        knobs.put("TESTBED_PORT_BASE", System.getenv().getOrDefault("TESTBED_PORT_BASE", "5100"));
        boolean running = Sh.run(List.of("bash", SCRIPT.toString(), "status"), knobs, ROOT, 60).exit() == 0;
        Sh.Result up = Sh.run(List.of("bash", SCRIPT.toString(), "up"), knobs, ROOT, 600);
        if (up.exit() != 0) throw new IllegalStateException("testbed did not start:\n" + up.stderr());
        if (!running) Runtime.getRuntime().addShutdownHook(new Thread(() ->
                Sh.run(List.of("bash", SCRIPT.toString(), "down"), knobs, ROOT, 120)));
        instance = new Testbed(readEnv(Path.of(knobs.get("TESTBED_DIR"), "env")));
        return instance;
    }

    String aws() { return env.get("TESTBED_AWS_REGISTRY"); }
    String azure() { return env.get("TESTBED_AZURE_REGISTRY"); }
    String user(String registry) { return env.get(registry.equals(aws()) ? "TESTBED_AWS_USER" : "TESTBED_AZURE_USER"); }
    String password(String registry) { return env.get(registry.equals(aws()) ? "TESTBED_AWS_PASSWORD" : "TESTBED_AZURE_PASSWORD"); }
    String dockerHost() { return env.get("DOCKER_HOST"); }

    /** A fresh docker config folder logged in to the given registries with the real docker CLI. */
    Path loggedInConfig(Path dir, String... registries) {
        for (String r : registries) {
            Sh.Result res = Sh.run(List.of("docker", "login", "--username", user(r), "--password-stdin", r),
                    Map.of("DOCKER_CONFIG", dir.toString(), "DOCKER_HOST", dockerHost()), ROOT, 60, password(r));
            if (res.exit() != 0) throw new IllegalStateException("docker login " + r + " failed: " + res.stderr());
        }
        return dir;
    }

    /** Parses the `export K='V'` lines testbed.sh writes. */
    static Map<String, String> readEnv(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith("export ")) continue;
                int eq = line.indexOf('=');
                String v = line.substring(eq + 1);
                if (v.startsWith("'") && v.endsWith("'")) v = v.substring(1, v.length() - 1).replace("'\\''", "'");
                m.put(line.substring(7, eq), v);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read testbed env " + file, e);
        }
        return m;
    }

    /** Runs argv (no shell) and captures its output; an env value of null removes that variable. */
    static final class Sh {
        record Result(int exit, String stdout, String stderr) {}

        static Result run(List<String> argv, Map<String, String> env, Path dir, long timeoutSeconds) {
            return run(argv, env, dir, timeoutSeconds, null);
        }

        static Result run(List<String> argv, Map<String, String> env, Path dir, long timeoutSeconds, String stdin) {
            try {
                ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
                env.forEach((k, v) -> { if (v == null) pb.environment().remove(k); else pb.environment().put(k, v); });
                Path out = Files.createTempFile("sh-out", ".txt"), err = Files.createTempFile("sh-err", ".txt");
                pb.redirectOutput(out.toFile()).redirectError(err.toFile());
                Process p = pb.start();
                try (var in = p.getOutputStream()) {
                    if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + argv);
                }
                Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
                Files.delete(out);
                Files.delete(err);
                return r;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
