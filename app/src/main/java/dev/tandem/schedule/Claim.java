package dev.tandem.schedule;

import java.util.List;

/**
 * Jobs of one kind claimed by one statement: they share the owner and the lease token that fence
 * their completion, and the lease's end (epoch milliseconds).
 */
record Claim(String kind, String owner, long lease, long leaseEnd, List<Due> dues) {}
