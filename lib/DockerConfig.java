package lib;

//DEPS com.fasterxml.jackson.jr:jackson-jr-objects:2.18.4

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.*;

/**
 * The docker {@code config.json}: read, merge and write. Writes keep every other key (credHelpers,
 * credsStore, proxies, ...), go through a 0600 temp file renamed over the old one, and hold a lock
 * so two logins in one job cannot lose each other's entry.
 */
public final class DockerConfig {
    private static final JSON JSON_RW = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);
    private final Path dir;
    private final Proc.Runner runner;

    public DockerConfig(Path dir, Proc.Runner runner) {
        this.dir = dir;
        this.runner = runner;
    }

    /** {@code $DOCKER_CONFIG}, else {@code ~/.docker}: the same folder docker, buildx and buildctl read. */
    public static DockerConfig fromEnv(Map<String, String> env, Proc.Runner runner) {
        String configured = env.get("DOCKER_CONFIG");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerConfig(dir, runner);
    }

    public Path dir() {
        return dir;
    }

    public Path file() {
        return dir.resolve("config.json");
    }

    public Map<String, Object> read() {
        Path f = file();
        if (!Files.exists(f)) return new LinkedHashMap<>();
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (text.isBlank()) return new LinkedHashMap<>();
            return new LinkedHashMap<>(JSON.std.mapFrom(text));
        } catch (IOException e) {
            throw new StepFailed("docker config " + f + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The credentials for a registry host: a credential helper named for the host or the credsStore
     * when one is set (as docker does), else the {@code auths} entry.
     */
    public Optional<Credential> credentials(String host) {
        Map<String, Object> config = read();
        String helper = helperFor(config, host);
        if (helper != null) {
            Optional<Credential> fromHelper = fromHelper(helper, host);
            if (fromHelper.isPresent()) return fromHelper;
        }
        Map<String, Object> auths = section(config, "auths");
        for (var e : auths.entrySet()) {
            if (hostOf(e.getKey()).equals(hostOf(host)) && e.getValue() instanceof Map<?, ?> entry) {
                Optional<Credential> c = decode(entry);
                if (c.isPresent()) return c;
            }
        }
        return Optional.empty();
    }

    /** Writes {@code auths[host]} for basic auth, keeping everything else in the file. */
    public void putAuth(String host, Credential credential) {
        String auth = Base64.getEncoder().encodeToString(
                (credential.username() + ":" + credential.secret()).getBytes(StandardCharsets.UTF_8));
        update(config -> {
            Map<String, Object> auths = section(config, "auths");
            auths.keySet().removeIf(k -> hostOf(k).equals(host));
            auths.put(host, new LinkedHashMap<>(Map.of("auth", auth)));
            config.put("auths", auths);
        });
    }

    /** Removes {@code auths[host]} (any spelling of it); returns whether an entry was there. */
    public boolean removeAuth(String host) {
        boolean[] removed = {false};
        if (!Files.exists(file())) return false;
        update(config -> {
            Map<String, Object> auths = section(config, "auths");
            removed[0] = auths.keySet().removeIf(k -> hostOf(k).equals(host));
            config.put("auths", auths);
        });
        return removed[0];
    }

    private void update(java.util.function.Consumer<Map<String, Object>> change) {
        try {
            if (!Files.isDirectory(dir))
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try (FileChannel lock = FileChannel.open(dir.resolve("config.json.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var ignored = lock.lock()) {
                Map<String, Object> config = read();
                change.accept(config);
                Path tmp = Files.createTempFile(dir, "config", ".json.tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.writeString(tmp, JSON_RW.asString(config) + "\n", StandardCharsets.UTF_8);
                    Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new StepFailed("docker config " + file() + " cannot be written: " + e.getMessage(), e);
        }
    }

    private Optional<Credential> fromHelper(String helper, String host) {
        Proc.Result r = runner.run(Proc.Command.of(List.of("docker-credential-" + helper, "get"))
                .withStdin(host.getBytes(StandardCharsets.UTF_8)).quiet());
        if (r.exitCode() != 0) return Optional.empty();
        try {
            Map<String, Object> m = JSON.std.mapFrom(r.stdout());
            Object user = m.get("Username");
            Object secret = m.get("Secret");
            return secret == null ? Optional.empty() : Optional.of(new Credential(String.valueOf(user), String.valueOf(secret)));
        } catch (IOException e) {
            throw new StepFailed("credential helper docker-credential-" + helper + " returned something that is not JSON for " + host);
        }
    }

    private static String helperFor(Map<String, Object> config, String host) {
        Object specific = section(config, "credHelpers").get(host);
        if (specific instanceof String s && !s.isBlank()) return s;
        Object store = config.get("credsStore");
        return store instanceof String s && !s.isBlank() ? s : null;
    }

    private static Optional<Credential> decode(Map<?, ?> entry) {
        Object auth = entry.get("auth");
        if (auth instanceof String s && !s.isEmpty()) {
            String plain = new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon > 0) return Optional.of(new Credential(plain.substring(0, colon), plain.substring(colon + 1)));
        }
        if (entry.get("username") instanceof String u && entry.get("password") instanceof String p)
            return Optional.of(new Credential(u, p));
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> config, String key) {
        Object v = config.get(key);
        return v instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    }

    /** Keys may be spelled {@code https://host/v1/}; docker matches them by host, and so do we. */
    static String hostOf(String key) {
        String k = key.replaceFirst("^[a-zA-Z]+://", "");
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        return k.equals("index.docker.io") || k.equals("registry-1.docker.io") ? "docker.io" : k;
    }
}
