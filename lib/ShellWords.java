package lib;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into words the way a POSIX shell does, honouring quotes and backslashes, and
 * evaluating nothing: {@code $(...)}, backticks, {@code ;} and {@code |} stay literal characters.
 */
public final class ShellWords {
    private ShellWords() {}

    public static List<String> split(String text, String what) {
        List<String> words = new ArrayList<>();
        if (text == null) return words;
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0; else word.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < text.length() && "\"\\$`\n".indexOf(text.charAt(i + 1)) >= 0) {
                    char next = text.charAt(++i);
                    if (next != '\n') word.append(next);
                } else word.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 == text.length()) throw new BadInput(what + " ends with a lone backslash");
                char next = text.charAt(++i);
                if (next != '\n') word.append(next);
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0)
            throw new BadInput(what + " has an unbalanced " + (quote == '"' ? "double" : "single") + " quote; close it or escape it with a backslash");
        if (inWord) words.add(word.toString());
        return words;
    }

    /** Quotes one word for display so a reader can paste it into a shell; never used to run anything. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,@%+-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String w : argv) {
            if (b.length() > 0) b.append(' ');
            b.append(quote(w));
        }
        return b.toString();
    }
}
