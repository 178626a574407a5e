import lib.Credential;
import lib.DockerConfig;
import lib.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.*;

import static org.junit.jupiter.api.Assertions.*;

class DockerConfigTest {
    @TempDir
    Path dir;

    private static final Proc.Runner NO_PROCESS = c -> fail("no process expected: " + c);

    @Test
    void honoursDockerConfigEnv() {
        DockerConfig c = DockerConfig.fromEnv(Map.of("DOCKER_CONFIG", dir.toString()), NO_PROCESS);
        assertEquals(dir.resolve("config.json"), c.file());
        DockerConfig home = DockerConfig.fromEnv(Map.of(), NO_PROCESS);
        assertEquals(Path.of(System.getProperty("user.home"), ".docker", "config.json"), home.file());
    }

    @Test
    void mergeKeepsHelpersStoreAndOtherEntriesAndWrites0600() throws Exception {
        Path cfgDir = dir.resolve("new");
        Files.createDirectories(cfgDir);
        Files.writeString(cfgDir.resolve("config.json"), """
                {"auths":{"https://other.io/v1/":{"auth":"b3RoZXI6cHc="}},
                 "credHelpers":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":"ecr-login"},
                 "credsStore":"desktop","proxies":{"default":{"httpProxy":"http://p:3128"}}}""");
        DockerConfig c = new DockerConfig(cfgDir, NO_PROCESS);
        c.putAuth("127.0.0.1:5101", new Credential("user", "pa:ss"));
        c.putAuth("127.0.0.1:5101", new Credential("user", "second"));
        Map<String, Object> m = c.read();
        assertEquals("desktop", m.get("credsStore"));
        assertEquals(Map.of("123456789012.dkr.ecr.us-east-1.amazonaws.com", "ecr-login"), m.get("credHelpers"));
        assertTrue(((Map<?, ?>) m.get("proxies")).containsKey("default"));
        Map<?, ?> auths = (Map<?, ?>) m.get("auths");
        assertEquals(Set.of("https://other.io/v1/", "127.0.0.1:5101"), auths.keySet());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file())));
        try (var files = Files.list(cfgDir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temp file left");
        }
    }

    @Test
    void createsMissingFolder0700AndRoundTripsCredentials() throws Exception {
        DockerConfig c = new DockerConfig(dir.resolve("a/b"), NO_PROCESS);
        c.putAuth("reg.io", new Credential("00000000-0000-0000-0000-000000000000", "refresh:token"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));
        assertEquals(Optional.of(new Credential("00000000-0000-0000-0000-000000000000", "refresh:token")), c.credentials("reg.io"));
        assertEquals(Optional.empty(), c.credentials("other.io"));
    }

    @Test
    void removeAuthDropsOnlyThatHost() {
        DockerConfig c = new DockerConfig(dir, NO_PROCESS);
        c.putAuth("a.io", new Credential("u", "p"));
        c.putAuth("b.io", new Credential("u", "p"));
        assertTrue(c.removeAuth("a.io"));
        assertFalse(c.removeAuth("a.io"));
        assertEquals(Set.of("b.io"), ((Map<?, ?>) c.read().get("auths")).keySet());
    }

    @Test
    void readsDockerHubKeyAndUsernamePasswordForm() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"auths":{"https://index.docker.io/v1/":{"auth":"aHViOnNlY3JldA=="},"x.io":{"username":"u","password":"p"}}}""");
        DockerConfig c = new DockerConfig(dir, NO_PROCESS);
        assertEquals(Optional.of(new Credential("hub", "secret")), c.credentials("docker.io"));
        assertEquals(Optional.of(new Credential("u", "p")), c.credentials("x.io"));
    }

    @Test
    void asksTheCredentialHelperNamedForTheHost() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"credHelpers":{"h.io":"fake"},"auths":{"h.io":{"auth":"c3RhbGU6c3RhbGU="}}}""");
        List<Proc.Command> seen = new ArrayList<>();
        DockerConfig c = new DockerConfig(dir, cmd -> {
            seen.add(cmd);
            return new Proc.Result(0, "{\"ServerURL\":\"h.io\",\"Username\":\"AWS\",\"Secret\":\"tok\"}", "");
        });
        assertEquals(Optional.of(new Credential("AWS", "tok")), c.credentials("h.io"));
        assertEquals(List.of("docker-credential-fake", "get"), seen.get(0).argv());
        assertEquals("h.io", new String(seen.get(0).stdin()));
        assertFalse(seen.get(0).stream(), "helper output holds a secret and must not be streamed");
    }

    @Test
    void credentialToStringRedacts() {
        assertFalse(new Credential("u", "topsecret").toString().contains("topsecret"));
    }
}
