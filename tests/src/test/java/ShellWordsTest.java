import lib.BadInput;
import lib.ShellWords;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ShellWordsTest {
    private static List<String> split(String s) {
        return ShellWords.split(s, "--extra-args");
    }

    @Test
    void splitsOnWhitespaceAndHonoursQuotes() {
        assertEquals(List.of("--add-host", "a:1.2.3.4", "--build-arg", "MSG=hello world"),
                split("  --add-host a:1.2.3.4\t--build-arg \"MSG=hello world\" "));
        assertEquals(List.of("it's", "a b", "c\"d"), split("it\\'s 'a b' 'c\"d'"));
        assertEquals(List.of("x\"y", "a\\b"), split("\"x\\\"y\" 'a\\b'"));
        assertEquals(List.of(""), split("''"));
        assertEquals(List.of(), split("   "));
        assertEquals(List.of(), split(null));
    }

    @Test
    void evaluatesNothing() {
        assertEquals(List.of("$(touch", "/tmp/pwned)", ";", "rm", "-rf", "/", "|", "cat", "`id`", "$HOME", "&&", "x"),
                split("$(touch /tmp/pwned) ; rm -rf / | cat `id` $HOME && x"));
        assertEquals(List.of("$(id)"), split("\"$(id)\""));
    }

    @Test
    void unbalancedQuotesAreBadInput() {
        BadInput e = assertThrows(BadInput.class, () -> split("--label 'a=b"));
        assertTrue(e.getMessage().startsWith("--extra-args"), e.getMessage());
        assertThrows(BadInput.class, () -> split("\"x"));
        assertThrows(BadInput.class, () -> split("x\\"));
    }

    @Test
    void quoteRoundTripsThroughSplit() {
        List<String> words = List.of("plain", "with space", "it's", "$(id)", "", "a\"b");
        assertEquals(words, split(ShellWords.join(words)));
    }
}
