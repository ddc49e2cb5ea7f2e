package dev.tandem.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reverses what the {@link EventScreen} encrypted in a stored event, for readers of the inbox:
 * personal values are stored encrypted with a key of the event's subject and read back in clear.
 */
public interface PayloadOpener {
    /** For stores whose events were never encrypted. */
    PayloadOpener NONE = new PayloadOpener() {
        @Override
        public boolean sealed(String payload) {
            return false;
        }

        @Override
        public void open(ObjectNode event) {}
    };

    /** A quick look at the stored text: whether it holds any encrypted value. */
    boolean sealed(String payload);

    /** Decrypts in place; a value whose key was destroyed (an erased subject) is removed. */
    void open(ObjectNode event);
}
