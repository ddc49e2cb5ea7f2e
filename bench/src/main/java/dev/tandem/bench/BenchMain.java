package dev.tandem.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmarks: {@code ./tandem bench ingest [options]} runs the durable ingest
 * load test against its baseline; {@code profiles} the processor's throughput and the Profile
 * API's latency with a million profiles; {@code accuracy} identity resolution against the
 * simulator's truth; {@code jmh [JMH options]} the JMH benchmarks.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (what) {
            case "ingest" -> IngestBenchmark.main(rest);
            case "profiles" -> ProfileBenchmark.main(rest);
            case "accuracy" -> AccuracyBenchmark.main(rest);
            case "audiences" -> AudienceBenchmark.main(rest);
            case "decide" -> DecideBenchmark.main(rest);
            case "protection" -> ProtectionBenchmark.main(rest);
            case "gate" -> GateBenchmark.main(rest);
            case "slow-clients" -> SlowClientBenchmark.main(rest);
            case "scheduler" -> SchedulerBenchmark.main(rest);
            case "import" -> ImportBenchmark.main(rest);
            case "retention" -> RetentionBenchmark.main(rest);
            case "destinations" -> DestinationBenchmark.main(rest);
            case "audit" -> dev.tandem.audit.AuditBenchmark.main(rest);
            case "plans" -> PlanBenchmark.main(rest);
            case "kpis" -> KpiBenchmark.main(rest);
            case "command-center" -> CommandCenterBenchmark.main(rest);
            case "journeys" -> dev.tandem.journey.JourneyBenchmark.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.out.println(
                        "usage: ./tandem bench ingest [--seconds 10] [--batches 1,20,100] [--clients N] [--database-url jdbc:postgresql://...]");
                System.out.println(
                        "       ./tandem bench profiles [--profiles 1000000] [--events 500000] [--rate 1000] [--seconds 20] [--batch 2000] [--cache 500000] [--protection on|off] [--traffic mixed|known] [--api off] [--database-url jdbc:postgresql://...]");
                System.out.println(
                        "       ./tandem bench audiences [--profiles 1000000] [--events 300000] [--audiences 200] [--protection on|off]");
                System.out.println(
                        "       ./tandem bench decide [--profiles 1000000] [--rules 50] [--rate 2000] [--seconds 30] [--connections 6] [--pause 2] [--warmup 30] [--store DIR]");
                System.out.println(
                        "       ./tandem bench protection [--profiles 200000] [--events 200000] [--rounds 2] [--batch 2000] [--cache 500000]");
                System.out.println("       ./tandem bench gate [--decisions 1000000] [--warmup 300000]");
                System.out.println(
                        "       ./tandem bench slow-clients [--connections 300] [--seconds 30] [--trickle 5]");
                System.out.println(
                        "       ./tandem bench scheduler [--jobs 1000000] [--batch 1000] [--database-url jdbc:postgresql://...]");
                System.out.println(
                        "       ./tandem bench import [--rows 100000] [--batch 500] [--connections 4] [--database-url jdbc:postgresql://...]");
                System.out.println(
                        "       ./tandem bench retention [--events 1000000] [--slice 10000] [--database-url jdbc:postgresql://...]");
                System.out.println("       ./tandem bench destinations [--events 100000]");
                System.out.println(
                        "       ./tandem bench audit [--appends 20000] [--entries 1000000] [--database-url jdbc:postgresql://...]");
                System.out.println(
                        "       ./tandem bench plans [--seconds 10] [--rounds 4] [--batch 20] [--clients 8] [--backlog 0]");
                System.out.println("       ./tandem bench kpis [--events 100000] [--rounds 2] [--requests 2000]");
                System.out.println(
                        "       ./tandem bench journeys [--parts timers,throughput,dryrun] [--waiting 1000000] [--events 100000] [--profiles 1000000]");
                System.out.println(
                        "       ./tandem bench command-center [--profiles 1000000] [--loads 50] [--refreshes 200] [--store DIR]");
                System.out.println("       ./tandem bench accuracy [--customers 5000] [--days 14] [--seed 42]");
                System.out.println("       ./tandem bench jmh [JMH options]");
                System.out.println(
                        "where a benchmark takes --database-url, --postgres instead starts a throwaway PostgreSQL server for the run");
                System.exit(what.equals("help") ? 0 : 2);
            }
        }
    }
}
