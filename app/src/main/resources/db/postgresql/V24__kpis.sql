-- KPIs (owned by dev.tandem.kpi). kpi_buckets: what the kpi stage added up per KPI, dimension value
-- and UTC day of the event; dimension '' and member '' hold the KPI's total. n counts the answers
-- (events) counted, promoters/passives/detractors the NPS classes (top_box, ratio and conversion keep
-- their hits in promoters), total and squares the sum and sum of squares of the values. Answers are
-- always read from these rows, never from the events.
CREATE TABLE kpi_buckets (
    kpi        TEXT NOT NULL,
    dimension  TEXT NOT NULL,
    member     TEXT NOT NULL,
    day        TEXT NOT NULL,
    n          BIGINT NOT NULL,
    promoters  BIGINT NOT NULL,
    passives   BIGINT NOT NULL,
    detractors BIGINT NOT NULL,
    total      DOUBLE PRECISION NOT NULL,
    squares    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (kpi, dimension, member, day)
);
-- The same sums per calendar month ('YYYY-MM'), so that a value of a dimension over a year adds up
-- 12 rows and the days at the range's ends, not 365.
CREATE TABLE kpi_months (
    kpi        TEXT NOT NULL,
    dimension  TEXT NOT NULL,
    member     TEXT NOT NULL,
    month      TEXT NOT NULL,
    n          BIGINT NOT NULL,
    promoters  BIGINT NOT NULL,
    passives   BIGINT NOT NULL,
    detractors BIGINT NOT NULL,
    total      DOUBLE PRECISION NOT NULL,
    squares    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (kpi, dimension, member, month)
);
-- Conversion windows per profile: opened by a denominator event (its day and dimension values, as
-- JSON), converted by the first numerator event within the KPI's window.
CREATE TABLE kpi_windows (
    kpi        TEXT NOT NULL,
    profile_id BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    day        TEXT NOT NULL,
    members    TEXT NOT NULL,
    converted  INTEGER NOT NULL,
    PRIMARY KEY (kpi, profile_id, started_at)
);
-- KPIs defined through the API (changes); those of tandem.yaml live in the file.
CREATE TABLE kpi_definitions (
    kpi         TEXT PRIMARY KEY,
    declaration TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- What teams believe customers experience (beliefs), and people's ratings in rating rounds; history kept.
CREATE TABLE kpi_beliefs (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kpi       TEXT NOT NULL,
    dimension TEXT NOT NULL,
    member    TEXT NOT NULL,
    rating    INTEGER NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    team      TEXT NOT NULL,
    author    TEXT NOT NULL,
    note      TEXT,
    at        BIGINT NOT NULL
);
CREATE INDEX kpi_beliefs_by_kpi ON kpi_beliefs (kpi, rating, at);
