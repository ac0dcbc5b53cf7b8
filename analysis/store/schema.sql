-- Stance store schema. SCHEMA_VERSION in connection.py says which version this file builds;
-- upgrades from older versions live in connection.MIGRATIONS.
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,          -- first 16 hex chars of sha256: same text, same id
    sha256 VARCHAR NOT NULL UNIQUE,
    doc_id VARCHAR,                  -- file stem or row id it came from
    title VARCHAR,
    outlet VARCHAR,
    published DATE,
    url VARCHAR,
    issue VARCHAR,
    text VARCHAR NOT NULL,
    source VARCHAR,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS speakers (
    name VARCHAR PRIMARY KEY,        -- canonical name
    actor_type VARCHAR,
    anonymous BOOLEAN,
    organisation VARCHAR
);

CREATE TABLE IF NOT EXISTS quotes (
    id VARCHAR PRIMARY KEY,          -- sha1(article id, start, end)[:16]: stable across rebuilds
    article_id VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    pieces VARCHAR NOT NULL,         -- JSON [[start, end], ...]
    text VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    cue VARCHAR,
    speaker VARCHAR,
    speaker_mention VARCHAR,
    actor_type VARCHAR NOT NULL,
    anonymous BOOLEAN NOT NULL,
    stance VARCHAR,
    p_supportive DOUBLE,
    p_opposed DOUBLE,
    p_neutral DOUBLE,
    model_version VARCHAR,
    speaker_context VARCHAR          -- the speaker's description, so actor types can be recomputed
);

CREATE SEQUENCE IF NOT EXISTS annotation_ids;

-- A person's corrections. Rows are only ever appended; the latest per (quote, field) wins.
CREATE TABLE IF NOT EXISTS annotations (
    id BIGINT PRIMARY KEY DEFAULT nextval('annotation_ids'),
    quote_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,          -- stance | actor_type | speaker | not_quote
    value VARCHAR,
    note VARCHAR,
    author VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    undoes BIGINT                    -- id of the correction this row takes back
);

-- Corrections that apply to every quote of a speaker, past and future: `merge_into` another
-- speaker (McCain = John McCain) or an `actor_type`. Append-only; the latest per (speaker, field) wins.
CREATE TABLE IF NOT EXISTS speaker_rules (
    id BIGINT PRIMARY KEY DEFAULT nextval('annotation_ids'),
    speaker VARCHAR NOT NULL,
    field VARCHAR NOT NULL,          -- merge_into | actor_type
    value VARCHAR,                   -- NULL: no rule
    note VARCHAR,
    author VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    undoes BIGINT
);

CREATE TABLE IF NOT EXISTS models (
    version VARCHAR PRIMARY KEY,
    trained_at TIMESTAMP,
    training_size INTEGER,
    metrics VARCHAR                  -- JSON
);

-- Every chart and export reads this view: predictions with the latest corrections applied.
-- Order of evidence: a correction of the quote, then a rule for its speaker, then the model.
CREATE OR REPLACE VIEW quote_facts AS
WITH fixes AS (
    SELECT quote_id,
           max(value) FILTER (WHERE field = 'stance') AS stance,
           max(value) FILTER (WHERE field = 'actor_type') AS actor_type,
           max(value) FILTER (WHERE field = 'speaker') AS speaker,
           max(value) FILTER (WHERE field = 'not_quote') AS not_quote,
           bool_or(value IS NOT NULL) AS any_fix
    FROM (
        SELECT quote_id, field, value
        FROM annotations
        QUALIFY row_number() OVER (PARTITION BY quote_id, field ORDER BY created_at DESC, id DESC) = 1
    )
    GROUP BY quote_id
),
rules AS (
    SELECT speaker,
           max(value) FILTER (WHERE field = 'merge_into') AS merge_into,
           max(value) FILTER (WHERE field = 'actor_type') AS actor_type
    FROM (
        SELECT speaker, field, value
        FROM speaker_rules
        QUALIFY row_number() OVER (PARTITION BY speaker, field ORDER BY created_at DESC, id DESC) = 1
    )
    GROUP BY speaker
),
resolved AS (
    SELECT q.*,
           coalesce(f.speaker, m.merge_into, q.speaker) AS resolved_speaker,
           f.stance AS fixed_stance,
           f.actor_type AS fixed_actor_type,
           f.not_quote,
           coalesce(f.any_fix, false) OR m.merge_into IS NOT NULL AS touched
    FROM quotes q
    LEFT JOIN fixes f ON f.quote_id = q.id
    LEFT JOIN rules m ON m.speaker = q.speaker
)
SELECT r.id AS quote_id,
       r.article_id,
       a.title,
       a.outlet,
       a.published,
       a.issue,
       a.url,
       r.start_char,
       r.end_char,
       r.pieces,
       r.text AS quote,
       r.kind,
       r.cue,
       r.resolved_speaker AS speaker,
       r.speaker_mention,
       coalesce(r.fixed_actor_type, sr.actor_type, r.actor_type) AS actor_type,
       r.anonymous,
       coalesce(r.fixed_stance, r.stance) AS stance,
       r.stance AS predicted_stance,
       r.p_supportive,
       r.p_opposed,
       r.p_neutral,
       -- a person's stance correction is certain; otherwise the model's top probability
       CASE WHEN r.fixed_stance IS NOT NULL THEN 1.0
            ELSE greatest(r.p_supportive, r.p_opposed, r.p_neutral) END AS confidence,
       r.model_version,
       (r.touched OR sr.actor_type IS NOT NULL) AS corrected
FROM resolved r
JOIN articles a ON a.id = r.article_id
LEFT JOIN rules sr ON sr.speaker = r.resolved_speaker
WHERE coalesce(r.not_quote, 'false') <> 'true';
