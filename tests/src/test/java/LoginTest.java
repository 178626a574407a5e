import lib.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class LoginTest {
    @TempDir
    Path dir;

    @Test
    void masksFirstWritesConfigAndReportsWithoutTheSecret() throws Exception {
        Path out = dir.resolve("gh-out");
        var printed = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(printed, true);
        Ci ci = new Ci(Map.of("GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", out.toString()), ps);
        DockerConfig config = new DockerConfig(dir.resolve("cfg"), c -> fail("no process"));
        var login = new Login.Result("reg.io", new Credential("AWS", "sekr1t-pw"), Instant.parse("2026-01-01T00:00:00Z"), "web identity");
        Login.store(login, config, ci, ps);
        String text = printed.toString();
        assertTrue(text.startsWith("::add-mask::sekr1t-pw\n"), text);
        assertEquals(1, text.split("sekr1t-pw", -1).length - 1, "the secret appears only in the mask command");
        assertTrue(text.contains("logged in to reg.io with web identity, valid until 2026-01-01T00:00:00Z"), text);
        assertEquals("registry=reg.io\nexpires-at=2026-01-01T00:00:00Z\n", Files.readString(out));
        assertEquals(Optional.of(new Credential("AWS", "sekr1t-pw")), config.credentials("reg.io"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.file())));
        assertFalse(login.toString().contains("sekr1t-pw"));
    }
}
