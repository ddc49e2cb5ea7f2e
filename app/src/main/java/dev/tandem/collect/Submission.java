package dev.tandem.collect;

import java.util.List;

/**
 * The events of one request, waiting for the inbox writer to commit them.
 *
 * @param sourceId   the source they came through
 * @param receivedAt epoch milliseconds, server clock
 */
record Submission(String sourceId, long receivedAt, List<Checked.Accepted> accepted, List<Checked.Rejected> rejected) {
    int size() {
        return accepted.size() + rejected.size();
    }
}
