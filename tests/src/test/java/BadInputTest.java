import lib.ShellWords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.*;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bad-input corpus (bad-input.tsv) through `jbang run`: exit 2, exactly one line on stderr that
 * names the input, no stack trace, no process started (a recording `docker` is first on PATH), and
 * the registries unchanged.
 */
class BadInputTest {
    static Map<String, Integer> before;
    @TempDir
    static Path shims;

    @BeforeAll
    static void snapshot() throws Exception {
        BuildE2ETest.tb = Testbed.get();
        before = BuildE2ETest.catalogs();
        Path docker = shims.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\necho \"$0 $*\" >> " + shims.resolve("started.log") + "\nexit 99\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static Stream<String> cases() throws Exception {
        return Files.readAllLines(Path.of("src/test/resources/bad-input.tsv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedBeforeAnythingHappens(String line) throws Exception {
        String[] cols = line.split("\t", 3);
        List<String> args = ShellWords.split(cols[2].replace("{ctx}", "examples/hello"), "corpus");
        Map<String, String> env = Jbang.cleanEnv(Map.of("PATH", shims + ":" + System.getenv("PATH"),
                "DOCKER_CONFIG", shims.resolve("cfg").toString()));
        var r = Jbang.run(env, cols[0], args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.stderr());
        List<String> lines = r.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), "exactly one line: " + r.stderr());
        assertTrue(lines.get(0).startsWith(cols[0] + ": ") && lines.get(0).contains(cols[1]), lines.get(0));
        assertEquals("", r.stdout());
        assertFalse(Files.exists(shims.resolve("started.log")), "a process was started");
        assertEquals(before, BuildE2ETest.catalogs(), "registries changed");
    }
}
