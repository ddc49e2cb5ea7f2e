-- The days at the ends of a range, for every value of a dimension: found by day, not by scanning each
-- value's whole history (the primary key orders by value first). Covering, so the rows are not looked up.
CREATE INDEX kpi_buckets_by_day
    ON kpi_buckets (kpi, dimension, day) INCLUDE (member, n, promoters, passives, detractors, total, squares);
