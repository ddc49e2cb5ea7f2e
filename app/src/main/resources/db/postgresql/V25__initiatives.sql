-- Initiatives (owned by dev.tandem.kpi): co-owned by a marketing person and an IT person, with linked
-- KPIs and checkpoints, stored as the declaration sent. initiative_checkpoints: each checkpoint once
-- it passed, with the KPI's value then and whether it was met (announced to the change feed once).
CREATE TABLE initiatives (
    initiative  TEXT PRIMARY KEY,
    declaration TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE TABLE initiative_checkpoints (
    initiative TEXT NOT NULL,
    kpi        TEXT NOT NULL,
    day        TEXT NOT NULL,
    status     TEXT NOT NULL,
    value      DOUBLE PRECISION,
    passed_at  BIGINT NOT NULL,
    PRIMARY KEY (initiative, kpi, day)
);
