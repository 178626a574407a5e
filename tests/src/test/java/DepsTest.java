import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scripts' //DEPS and tests/pom.xml must name the same versions, or the tests would check code
 * built against other libraries than the ones users get from JBang.
 */
class DepsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern DEPS = Pattern.compile("^//DEPS\\s+(.+)$", Pattern.MULTILINE);

    @Test
    void everyPinnedDependencyMatchesThePom() throws Exception {
        String pom = Files.readString(ROOT.resolve("tests/pom.xml"));
        Map<String, String> props = new HashMap<>();
        Matcher p = Pattern.compile("<([\\w.-]+\\.version)>([^<]+)</").matcher(pom);
        while (p.find()) props.put(p.group(1), p.group(2));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path src : sources()) {
            Matcher m = DEPS.matcher(Files.readString(src));
            while (m.find()) {
                for (String gav : m.group(1).trim().split("\\s+")) {
                    String[] parts = gav.replace("@pom", "").split(":");
                    if (parts.length < 3) continue; // version managed by a BOM
                    String artifact = parts[1], version = parts[2];
                    Matcher dep = Pattern.compile("<artifactId>" + Pattern.quote(artifact) + "</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
                    if (!dep.find()) {
                        problems.add(src.getFileName() + ": " + gav + " is not in tests/pom.xml");
                        continue;
                    }
                    String inPom = dep.group(1).startsWith("${") ? props.get(dep.group(1).substring(2, dep.group(1).length() - 1)) : dep.group(1);
                    if (!version.equals(inPom)) problems.add(src.getFileName() + ": " + gav + " but the pom has " + inPom);
                    checked++;
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 4, "found the //DEPS lines: " + checked);
    }

    static List<Path> sources() throws Exception {
        try (Stream<Path> top = Files.list(ROOT); Stream<Path> lib = Files.list(ROOT.resolve("lib"))) {
            return Stream.concat(top, lib).filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
