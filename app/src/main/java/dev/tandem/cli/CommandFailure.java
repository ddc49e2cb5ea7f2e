package dev.tandem.cli;

/** A failure the user can act on (a 404, a missing token, a server that is down): printed as one line, without a stack trace. */
final class CommandFailure extends RuntimeException {
    CommandFailure(String message) {
        super(message);
    }
}
