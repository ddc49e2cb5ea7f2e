package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchChanges;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Exposure;
import dev.tandem.pipeline.Merge;
import dev.tandem.pipeline.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code experiment} stage: a profile's first {@code Experiment Viewed} event for a known
 * experiment assigns it to that arm, and its first goal event after that converts it. When two
 * profiles merge, the earlier exposure wins, so the surviving profile keeps one arm per
 * experiment and is counted once. Only batches with such events touch the database.
 */
final class ExperimentStage implements Stage {
    static final String VIEWED = "Experiment Viewed";

    private final ExperimentStore store;
    private final Map<String, Experiment> experiments = new HashMap<>();
    private final Map<String, List<Experiment>> byGoal = new HashMap<>();
    private final Set<Long> touched = new LinkedHashSet<>();
    private Map<Long, List<ExperimentStore.Assignment>> current = Map.of();

    public ExperimentStage(Jdbi jdbi, List<Placement> placements) {
        this.store = new ExperimentStore(jdbi);
        for (Placement p : placements) {
            if (p.experiment() != null) {
                experiments.put(p.experiment().key(), p.experiment());
                byGoal.computeIfAbsent(p.experiment().goal(), g -> new ArrayList<>())
                        .add(p.experiment());
            }
        }
    }

    @Override
    public String name() {
        return "experiment";
    }

    @Override
    public Set<Change> reads() {
        return Set.of(Change.MERGES);
    }

    @Override
    public Set<Change> writes() {
        return Set.of(Change.EXPOSURES);
    }

    @Override
    public void process(Batch of) {
        List<BatchItem> batch = of.items();
        BatchChanges changes = of.changes();
        if (experiments.isEmpty()) {
            return;
        }
        Set<Long> relevant = new LinkedHashSet<>();
        for (BatchItem item : batch) {
            for (Merge m : item.merges()) {
                relevant.add(m.kept());
                relevant.add(m.merged());
            }
            if (item.profileId() != 0 && (viewed(item) != null || byGoal.containsKey(eventName(item)))) {
                relevant.add(item.profileId());
            }
        }
        if (relevant.isEmpty()) {
            return;
        }
        current = new HashMap<>();
        store.of(relevant).forEach((p, list) -> current.put(p, new ArrayList<>(list)));
        for (BatchItem item : batch) {
            for (Merge m : item.merges()) {
                fold(m);
            }
            if (item.profileId() == 0) {
                continue;
            }
            Experiment viewed = viewed(item);
            if (viewed != null) {
                assign(item, viewed, changes);
            }
            for (Experiment e : byGoal.getOrDefault(eventName(item), List.of())) {
                convert(item, e);
            }
        }
    }

    /** The known experiment an Experiment Viewed event names with a known arm, or null. */
    private Experiment viewed(BatchItem item) {
        if (!VIEWED.equals(eventName(item))) {
            return null;
        }
        JsonNode props = item.event().path("properties");
        Experiment e = experiments.get(props.path("experiment_id").asText());
        return e != null && e.arm(props.path("variation_id").asText()) != null ? e : null;
    }

    private void assign(BatchItem item, Experiment e, BatchChanges changes) {
        List<ExperimentStore.Assignment> mine = current.computeIfAbsent(item.profileId(), p -> new ArrayList<>());
        if (mine.stream().noneMatch(a -> a.experiment().equals(e.key()))) {
            String arm = item.event().path("properties").path("variation_id").asText();
            mine.add(new ExperimentStore.Assignment(e.key(), item.profileId(), arm, item.timestamp(), null));
            touched.add(item.profileId());
            changes.exposed(new Exposure(e.key(), arm, item.profileId(), item.seq()));
        }
    }

    private void convert(BatchItem item, Experiment e) {
        List<ExperimentStore.Assignment> mine = current.getOrDefault(item.profileId(), List.of());
        for (int i = 0; i < mine.size(); i++) {
            ExperimentStore.Assignment a = mine.get(i);
            if (a.experiment().equals(e.key()) && a.convertedAt() == null && a.assignedAt() <= item.timestamp()) {
                mine.set(
                        i,
                        new ExperimentStore.Assignment(
                                a.experiment(), a.profileId(), a.arm(), a.assignedAt(), item.timestamp()));
                touched.add(item.profileId());
            }
        }
    }

    /** Moves the merged profile's assignments to the kept one; where both have one, the earlier exposure wins. */
    private void fold(Merge m) {
        List<ExperimentStore.Assignment> theirs = current.remove(m.merged());
        if (theirs == null || theirs.isEmpty()) {
            return;
        }
        List<ExperimentStore.Assignment> mine = current.computeIfAbsent(m.kept(), p -> new ArrayList<>());
        for (ExperimentStore.Assignment t : theirs) {
            ExperimentStore.Assignment moved =
                    new ExperimentStore.Assignment(t.experiment(), m.kept(), t.arm(), t.assignedAt(), t.convertedAt());
            int i = indexOf(mine, t.experiment());
            if (i < 0) {
                mine.add(moved);
            } else if (moved.assignedAt() < mine.get(i).assignedAt()) {
                mine.set(i, moved);
            }
        }
        touched.add(m.kept());
        touched.add(m.merged());
    }

    private static int indexOf(List<ExperimentStore.Assignment> list, String experiment) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).experiment().equals(experiment)) {
                return i;
            }
        }
        return -1;
    }

    private static String eventName(BatchItem item) {
        return "track".equals(item.type()) ? item.event().path("event").asText() : "";
    }

    @Override
    public void write(Handle transaction) {
        ExperimentStore.write(transaction, touched, current);
    }

    @Override
    public void committed() {
        clear();
    }

    @Override
    public void discard() {
        clear();
    }

    @Override
    public void reset(Handle transaction) {
        ExperimentStore.reset(transaction);
    }

    @Override
    public void erase(Handle transaction, java.util.Collection<Long> profiles) {
        ExperimentStore.erase(transaction, profiles);
    }

    private void clear() {
        touched.clear();
        current = Map.of();
    }
}
