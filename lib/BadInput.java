package lib;

/** Bad input or usage: exit code 2, one line naming the input and what is allowed. Nothing was started. */
public final class BadInput extends RuntimeException {
    public BadInput(String message) {
        super(message, null, false, false);
    }
}
