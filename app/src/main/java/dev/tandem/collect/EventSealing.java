package dev.tandem.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sealing of raw events, as the inbox sees it: the screen encrypts personal values of accepted
 * events with a key of their subject ({@link EventScreen#seal}); the writer has the keys made for
 * a group stored before the group commits ({@link #storeKeys}); readers get values back in clear
 * ({@link #open}), except those whose key an erasure destroyed.
 */
public interface EventSealing {
    /** For stores whose events are not sealed (benchmarks of the layout alone). */
    EventSealing NONE = new EventSealing() {
        @Override
        public boolean sealed(String payload) {
            return false;
        }

        @Override
        public void open(ObjectNode event) {}

        @Override
        public void storeKeys() {}
    };

    /** A quick look at the stored text: whether it holds any sealed value. */
    boolean sealed(String payload);

    /** Decrypts in place; a value whose key was destroyed (an erased subject) is removed. */
    void open(ObjectNode event);

    /** Stores, durably, the keys events were sealed with since the last call; before a group commits. */
    void storeKeys();

    /**
     * At start, before the first event is accepted: reads what it needs of the stored events to
     * put its keys in order after a stop of any kind (a crash included), then starts what keeps them.
     */
    default void recover(EventLog inbox) {}
}
