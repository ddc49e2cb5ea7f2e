package dev.tandem.schedule;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A job for tests: records every due job it is given and answers with {@code behaviour} (which may throw). */
final class Recorder implements Job {
    private final String kind;
    private final Lane lane;
    private final Function<Due, Next> behaviour;
    final List<Due> runs = new CopyOnWriteArrayList<>();

    Recorder(String kind, Lane lane, Function<Due, Next> behaviour) {
        this.kind = kind;
        this.lane = lane;
        this.behaviour = behaviour;
    }

    static Recorder done(String kind) {
        return new Recorder(kind, Lane.OWN, due -> Next.done());
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Lane lane() {
        return lane;
    }

    @Override
    public Next run(Due due) {
        runs.add(due);
        return behaviour.apply(due);
    }

    List<String> keys() {
        return runs.stream().map(Due::key).toList();
    }
}
