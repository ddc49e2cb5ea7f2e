package dev.tandem.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmarks: {@code ./tandem bench ingest [options]} runs the durable ingest
 * load test against its baseline; {@code ./tandem bench jmh [JMH options]} runs the JMH benchmarks.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (what) {
            case "ingest" -> IngestBenchmark.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.out.println("usage: ./tandem bench ingest [--seconds 10] [--batches 1,20,100] [--clients N] [--database-url jdbc:postgresql://...]");
                System.out.println("       ./tandem bench jmh [JMH options]");
                System.exit(what.equals("help") ? 0 : 2);
            }
        }
    }
}
