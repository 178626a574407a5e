import lib.Ci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CiTest {
    @TempDir
    Path dir;

    @Test
    void writesOutputsSummaryAndCommandsInActions() throws Exception {
        Path out = dir.resolve("out"), summary = dir.resolve("summary");
        var buf = new ByteArrayOutputStream();
        Ci ci = new Ci(Map.of("GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", out.toString(), "GITHUB_STEP_SUMMARY", summary.toString()),
                new PrintStream(buf, true));
        ci.mask("s3cr3t-value");
        ci.output("digest", "sha256:abc");
        ci.output("multi", "line1\nline2");
        ci.summary("| a |");
        ci.group("build");
        ci.endGroup();
        ci.error("100% failed\nreally with s3cr3t-value");
        String o = Files.readString(out);
        assertTrue(o.startsWith("digest=sha256:abc\nmulti<<EOF_"), o);
        assertTrue(o.contains("\nline1\nline2\nEOF_"), o);
        assertEquals("| a |\n", Files.readString(summary));
        String printed = buf.toString();
        assertEquals("::add-mask::s3cr3t-value\n::group::build\n::endgroup::\n::error::100%25 failed%0Areally with ***\n", printed);
    }

    @Test
    void doesNothingOutsideActionsButStillRedacts() {
        Path out = dir.resolve("out");
        var buf = new ByteArrayOutputStream();
        Ci ci = new Ci(Map.of("GITHUB_OUTPUT", out.toString()), new PrintStream(buf, true));
        ci.mask("pw-123");
        ci.output("digest", "x");
        ci.group("g");
        ci.error("e");
        assertEquals("", buf.toString());
        assertFalse(Files.exists(out));
        assertEquals("user *** ok", ci.redact("user pw-123 ok"));
    }
}
