import lib.BadInput;
import lib.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

class ImageRefTest {

    @ParameterizedTest
    @CsvSource({
            "busybox,                                  docker.io, library/busybox, latest,",
            "team/app:1.2,                             docker.io, team/app, 1.2,",
            "localhost/app,                            localhost, app, latest,",
            "127.0.0.1:5101/a/b-c__d.e:v_1,            127.0.0.1:5101, a/b-c__d.e, v_1,",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:42, 123456789012.dkr.ecr.eu-west-1.amazonaws.com, team/app, 42,",
            "myreg.azurecr.io/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, myreg.azurecr.io, app, , sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "[::1]:5000/app:x,                         [::1]:5000, app, x,",
            "Registry.Example.com/app,                 Registry.Example.com, app, latest,",
            "reg:5000/a--b/c:Tag.With-Dots_,           reg:5000, a--b/c, Tag.With-Dots_,",
    })
    void parsesValidReferences(String text, String registry, String repository, String tag, String digest) {
        ImageRef r = ImageRef.parse(text);
        assertEquals(registry, r.registry());
        assertEquals(repository, r.repository());
        assertEquals(tag, r.tag());
        assertEquals(digest, r.digest());
    }

    @Test
    void formatsBackToTheSameText() {
        for (String s : new String[]{"127.0.0.1:5101/team/app:42", "reg.io/a@sha256:" + "a".repeat(64), "reg.io/a:t@sha256:" + "b".repeat(64)})
            assertEquals(s, ImageRef.parse(s).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "reg.io/App:1", "reg.io/app:-lead", "reg.io/a//b", "reg.io/a_-b", "reg.io/-a",
            "reg.io/a:t;rm", "reg.io/a:t$(id)", "reg.io/a@sha256:abc", "reg.io/a@md5", "reg.io:99999/a", "reg.io:0/a",
            "http://reg.io/a", "user@reg.io/a", "reg.io/a:", "reg.io/a b", "reg.io/a:t\nx", "reg.io/a.", "reg.io/a/",
    })
    void rejectsInvalidReferences(String text) {
        BadInput e = assertThrows(BadInput.class, () -> ImageRef.parse(text));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void tagMayHave128CharactersButNotMore() {
        assertEquals(128, ImageRef.parse("reg.io/a:" + "t".repeat(128)).tag().length());
        assertThrows(BadInput.class, () -> ImageRef.parse("reg.io/a:" + "t".repeat(129)));
    }

    @Test
    void nameIsAtMost255Characters() {
        String host = "reg.io/";
        assertDoesNotThrow(() -> ImageRef.parse(host + "a".repeat(255 - host.length())));
        BadInput e = assertThrows(BadInput.class, () -> ImageRef.parse(host + "a".repeat(256 - host.length())));
        assertTrue(e.getMessage().contains("255"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reg.io", "127.0.0.1:5101", "localhost:1", "a-b.c-d.example:65535", "[::1]:5000", "myreg.azurecr.io"})
    void acceptsHosts(String host) {
        assertEquals(host, ImageRef.checkHost(host, "--registry"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://reg.io", "user:pw@reg.io", "reg.io/path", "reg.io:65536", "reg.io:0", "-reg.io", "reg..io", "reg.io:", "reg io", "reg.io\n"})
    void rejectsHostsWithSchemeUserinfoPathOrBadPort(String host) {
        BadInput e = assertThrows(BadInput.class, () -> ImageRef.checkHost(host, "--registry"));
        assertTrue(e.getMessage().startsWith("--registry"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void errorMessagesEscapeControlCharacters() {
        BadInput e = assertThrows(BadInput.class, () -> ImageRef.checkTag("a\nb", "--tag"));
        assertTrue(e.getMessage().contains("a\\x0ab"), e.getMessage());
    }
}
