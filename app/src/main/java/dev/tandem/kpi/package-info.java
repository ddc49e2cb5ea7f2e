/**
 * Shared KPIs: definitions as code ({@code kpis:} of tandem.yaml, or through changes), the {@code kpi}
 * stage that adds every matching event to day buckets per dimension value, their values with 95%
 * confidence intervals, the perception gap between what teams believe and what customers answer, and
 * initiatives co-owned by marketing and IT with checkpoints. Owns the {@code kpi_*} and
 * {@code initiative*} tables and the {@code /v1/kpis}, {@code /v1/perception-gap} and
 * {@code /v1/initiatives} routes.
 */
package dev.tandem.kpi;
