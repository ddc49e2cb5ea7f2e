package dev.tandem.retain;

import dev.tandem.collect.Archive;
import dev.tandem.collect.EventLog;
import dev.tandem.collect.StoredEvent;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Stage;
import dev.tandem.profile.ProfileReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The {@code retain} stage: in a replay from the start the processor applies archived events
 * again, and the profile stage lists them in the profiles' event index as it does any event; this
 * stage, after it, takes them out again in the same transaction, so that the index holds live
 * events only, as after archiving. Outside a replay (every batch past the archive) it does nothing.
 */
final class ArchivedIndex implements Stage {
    private final Archive archive;
    private final EventLog inbox;
    private final ProfileReader profiles;
    private List<Long> archived = List.of();

    ArchivedIndex(Archive archive, EventLog inbox, ProfileReader profiles) {
        this.archive = archive;
        this.inbox = inbox;
        this.profiles = profiles;
    }

    @Override
    public String name() {
        return "retain";
    }

    @Override
    public Set<Change> reads() {
        return Set.of();
    }

    @Override
    public Set<Change> writes() {
        return Set.of();
    }

    @Override
    public void process(Batch batch) {
        long last = archive.lastEventSeq();
        List<Long> old = new ArrayList<>();
        for (BatchItem item : batch.items()) {
            if (item.seq() <= last) {
                old.add(item.seq());
            }
        }
        if (old.isEmpty()) {
            archived = List.of();
            return;
        }
        Set<Long> live = new HashSet<>();
        for (StoredEvent e : inbox.at(old)) {
            live.add(e.seq());
        }
        old.removeIf(live::contains);
        archived = old;
    }

    @Override
    public void write(Handle transaction) {
        if (!archived.isEmpty()) {
            profiles.forgetEvents(transaction, archived);
        }
    }

    @Override
    public void committed() {
        archived = List.of();
    }

    @Override
    public void discard() {
        archived = List.of();
    }

    @Override
    public void reset(Handle transaction) {
        // derives nothing of its own
    }

    @Override
    public void erase(Handle transaction, Collection<Long> profiles) {
        // holds nothing about profiles
    }
}
