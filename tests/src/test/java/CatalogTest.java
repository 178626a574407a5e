import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.*;

import static org.junit.jupiter.api.Assertions.*;

/** Every alias in jbang-catalog.json points at a script that exists and that JBang compiles. */
class CatalogTest {
    @Test
    void everyAliasCompilesWithJbang() throws Exception {
        Map<String, Object> catalog = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(Jbang.ROOT.resolve("jbang-catalog.json")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> aliases = (Map<String, Map<String, Object>>) catalog.get("aliases");
        assertFalse(aliases.isEmpty());
        for (var e : aliases.entrySet()) {
            String script = (String) e.getValue().get("script-ref");
            assertTrue(Files.isRegularFile(Jbang.ROOT.resolve(script)), e.getKey() + " -> " + script);
            var r = Testbed.Sh.run(List.of(Jbang.LAUNCHER.toString(), "build", e.getKey()), Jbang.cleanEnv(Map.of()), Jbang.ROOT, 900);
            assertEquals(0, r.exit(), "jbang build " + e.getKey() + ": " + r.stderr());
            var help = Testbed.Sh.run(List.of(Jbang.LAUNCHER.toString(), "run", e.getKey(), "--help"), Jbang.cleanEnv(Map.of()), Jbang.ROOT, 900);
            assertEquals(0, help.exit(), help.stderr());
            assertTrue(help.stdout().startsWith("Usage: " + e.getKey()), help.stdout());
        }
    }
}
