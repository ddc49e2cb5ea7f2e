package dev.tandem.process;

/** A failure while a batch went through the pipeline, with the stage it happened in, for the reason an event is set aside with. */
final class StageFailure extends RuntimeException {
    private final String stage;

    StageFailure(String stage, RuntimeException cause) {
        super(stage + ": " + describe(cause), cause);
        this.stage = stage;
    }

    String stage() {
        return stage;
    }

    /** What went wrong in a line: the exception's type and message, for a steward to read. */
    static String describe(Throwable e) {
        Throwable shown = e instanceof StageFailure && e.getCause() != null ? e.getCause() : e;
        return shown.getClass().getSimpleName() + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
    }
}
