package dev.tandem.collect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Every event ever accepted and not erased, in seq order: the archive files merged with the live
 * inbox. The processor reads through it; while its cursor is past the archive (always, except in a
 * replay from the start) it costs nothing over the inbox. One thread reads it at a time (the
 * processor's, or its read-ahead's, handed over with the page, never both at once): the merge keeps
 * its files open between pages that follow each other.
 */
public final class InboxHistory implements EventLog, AutoCloseable {
    private final InboxReader inbox;
    private final Archive archive;
    private final ObjectMapper mapper;
    private Merge merge;

    public InboxHistory(InboxReader inbox, Archive archive, ObjectMapper mapper) {
        this.inbox = inbox;
        this.archive = archive;
        this.mapper = mapper;
    }

    @Override
    public List<StoredEvent> after(long seq, int limit) {
        if (seq >= archive.lastEventSeq()) {
            close();
            return inbox.after(seq, limit);
        }
        if (merge == null || merge.position != seq) {
            close();
            merge = new Merge(seq);
        }
        List<StoredEvent> live = inbox.after(seq, limit);
        List<StoredEvent> out = new ArrayList<>(limit);
        int i = 0;
        while (out.size() < limit) {
            ArchivedEvent next = merge.peek();
            StoredEvent head = i < live.size() ? live.get(i) : null;
            if (next == null && head == null) {
                break;
            }
            if (head != null && (next == null || head.seq() <= next.seq())) {
                out.add(head);
                i++;
                if (next != null && next.seq() == head.seq()) {
                    merge.take();
                }
            } else {
                out.add(merge.take().stored());
            }
        }
        if (!out.isEmpty()) {
            merge.position = out.get(out.size() - 1).seq();
        }
        return out;
    }

    @Override
    public void open(String payload, com.fasterxml.jackson.databind.JsonNode event) {
        inbox.open(payload, event);
    }

    @Override
    public long latestSeq() {
        return Math.max(inbox.latestSeq(), archive.lastEventSeq());
    }

    @Override
    public List<StoredEvent> at(List<Long> seqs) {
        // read by seq: set-aside events (never archived) and journeys' entering events, which past the
        // inbox's retention are not read back (docs/journeys.md)
        return inbox.at(seqs);
    }

    @Override
    public void close() {
        if (merge != null) {
            merge.close();
            merge = null;
        }
    }

    /** A k-way merge of the events files after a seq; a file is opened once the merge reaches its first seq. */
    private final class Merge {
        private final Deque<Archive.Day> pending;
        private final PriorityQueue<FileCursor> open =
                new PriorityQueue<>(Comparator.comparingLong(c -> c.current.seq()));
        long position;

        Merge(long after) {
            this.position = after;
            this.pending = new ArrayDeque<>(archive.days(Archive.Kind.EVENTS).stream()
                    .filter(d -> d.lastKey() > after)
                    .toList());
        }

        ArchivedEvent peek() {
            while (!pending.isEmpty()
                    && (open.isEmpty()
                            || pending.peekFirst().firstKey()
                                    <= open.peek().current.seq())) {
                FileCursor cursor = new FileCursor(pending.pollFirst(), position);
                if (cursor.current != null) {
                    open.add(cursor);
                }
            }
            return open.isEmpty() ? null : open.peek().current;
        }

        ArchivedEvent take() {
            ArchivedEvent event = peek();
            FileCursor cursor = open.poll();
            if (cursor.advance()) {
                open.add(cursor);
            }
            return event;
        }

        void close() {
            open.forEach(FileCursor::close);
            open.clear();
        }
    }

    /** One open file, at its first event after the merge's position. */
    private final class FileCursor {
        private final BufferedReader reader;
        private final Archive.Day day;
        ArchivedEvent current;

        FileCursor(Archive.Day day, long after) {
            this.day = day;
            try {
                this.reader = archive.reader(day);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot read the archive file " + archive.file(day) + ": " + e.getMessage(), e);
            }
            while (advance() && current.seq() <= after) {
                // skip what the merge passed already
            }
        }

        /** Moves to the next line; false (and closed) at the end. */
        boolean advance() {
            try {
                String line = reader.readLine();
                while (line != null && line.isEmpty()) {
                    line = reader.readLine();
                }
                if (line == null) {
                    current = null;
                    close();
                    return false;
                }
                current = ArchivedEvent.parse(mapper, line);
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot read the archive file " + archive.file(day) + ": " + e.getMessage(), e);
            }
        }

        void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
