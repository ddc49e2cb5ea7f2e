package dev.tandem.protect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.EventScreen;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Protection, wired first because everything after it consults it: the classifier and field
 * catalog (the collector's screen), and the key store (tokenized identifiers, sealed traits).
 * Brings {@code /v1/admin/fields} and {@code /v1/admin/removals}.
 */
public final class ProtectModule implements Module {
    private final Classification classification;
    private final Path keyStore;
    private final boolean sealRawEvents;
    private Classifier classifier;
    private FieldCatalog catalog;
    private KeyStore keys;
    private EventSealer eventSealer;

    /** @param sealRawEvents whether personal values of stored events are sealed; events sealed before are opened either way */
    public ProtectModule(Classification classification, Path keyStore, boolean sealRawEvents) {
        this.classification = classification;
        this.keyStore = keyStore;
        this.sealRawEvents = sealRawEvents;
    }

    @Override
    public String name() {
        return "protect";
    }

    @Override
    public void wire(Wiring wiring) {
        classifier = new Classifier(classification);
        catalog = wiring.closeable(new FieldCatalog(wiring.jdbi(), classifier, wiring.clock()));
        keys = wiring.closeable(KeyStore.open(keyStore));
        new FieldRoutes(catalog, classification, wiring.mapper()).register(wiring.routes());
    }

    public Classifier classifier() {
        return classifier;
    }

    /** The fields seen so far and their classes. */
    public FieldCatalog catalog() {
        return catalog;
    }

    public KeyStore keys() {
        return keys;
    }

    public Tokenizer tokenizer() {
        return keys.tokenizer();
    }

    public TraitSealer sealer() {
        return new TraitSealer(keys, classifier);
    }

    /**
     * The collector's screen: drops events of {@code suppressed} subjects, removes restricted fields
     * from the rest, and seals their personal values with {@link #eventSealer()}.
     */
    public EventScreen screen(Predicate<ObjectNode> suppressed) {
        return new FieldScreen(classifier, catalog, suppressed, sealRawEvents ? eventSealer() : null);
    }

    /** Seals personal values of raw events with a key of their subject, and opens them for readers. */
    public EventSealer eventSealer() {
        if (eventSealer == null) {
            eventSealer = new EventSealer(keys, classifier, sealRawEvents);
        }
        return eventSealer;
    }
}
