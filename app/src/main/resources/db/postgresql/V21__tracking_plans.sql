-- Tracking plans made through the API (owned by dev.tandem.plan): the declaration as PUT took it, JSON,
-- read again and compiled at every start. Plans of tandem.yaml are not stored: the file is their home.
CREATE TABLE tracking_plans (
    plan_key    TEXT PRIMARY KEY,
    declaration TEXT NOT NULL,
    updated_at  BIGINT NOT NULL          -- epoch milliseconds
);

-- Tracking-plan violations (owned by dev.tandem.plan): counts by plan, event, field and kind, with a
-- sample that holds no value of any event: the schema keyword, what was expected, the JSON type found.
CREATE TABLE tracking_plan_violations (
    plan_key   TEXT NOT NULL,
    event_type TEXT NOT NULL,            -- track, identify, page or screen
    event      TEXT NOT NULL,            -- the track event's name, or the call type
    field      TEXT NOT NULL,            -- such as properties.items[].price
    kind       TEXT NOT NULL,            -- missing_required, wrong_type, unplanned_property, unplanned_event, invalid_value, uncheckable
    count      BIGINT NOT NULL,
    keyword    TEXT NOT NULL,
    expected   TEXT NOT NULL,
    found      TEXT NOT NULL,
    first_at   BIGINT NOT NULL,
    last_at    BIGINT NOT NULL,
    PRIMARY KEY (plan_key, event_type, event, field, kind)
);
