package lib;

/**
 * A build, push, login or network step that failed (after its retries): exit code 1. The message
 * names the registry, endpoint or tool and the cause; {@code detail} carries what the tool said.
 */
public class StepFailed extends RuntimeException {
    private final String detail;

    public StepFailed(String message) {
        this(message, "", null);
    }

    public StepFailed(String message, Throwable cause) {
        this(message, "", cause);
    }

    public StepFailed(String message, String detail, Throwable cause) {
        super(message, cause);
        this.detail = detail == null ? "" : detail;
    }

    /** The tail of the tool's stderr or the server's error body, already free of secrets. */
    public String detail() {
        return detail;
    }
}
