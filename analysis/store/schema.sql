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
    model_version VARCHAR
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
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS models (
    version VARCHAR PRIMARY KEY,
    trained_at TIMESTAMP,
    training_size INTEGER,
    metrics VARCHAR                  -- JSON
);

-- Every chart and export reads this view: predictions with the latest corrections applied.
CREATE OR REPLACE VIEW quote_facts AS
WITH latest AS (
    SELECT quote_id, field, value
    FROM annotations
    QUALIFY row_number() OVER (PARTITION BY quote_id, field ORDER BY created_at DESC, id DESC) = 1
),
fixes AS (
    SELECT quote_id,
           max(value) FILTER (WHERE field = 'stance') AS stance,
           max(value) FILTER (WHERE field = 'actor_type') AS actor_type,
           max(value) FILTER (WHERE field = 'speaker') AS speaker,
           max(value) FILTER (WHERE field = 'not_quote') AS not_quote
    FROM latest
    GROUP BY quote_id
)
SELECT q.id AS quote_id,
       q.article_id,
       a.title,
       a.outlet,
       a.published,
       a.issue,
       a.url,
       q.start_char,
       q.end_char,
       q.pieces,
       q.text AS quote,
       q.kind,
       q.cue,
       coalesce(f.speaker, q.speaker) AS speaker,
       q.speaker_mention,
       coalesce(f.actor_type, q.actor_type) AS actor_type,
       q.anonymous,
       coalesce(f.stance, q.stance) AS stance,
       q.stance AS predicted_stance,
       q.p_supportive,
       q.p_opposed,
       q.p_neutral,
       -- a person's stance correction is certain; otherwise the model's top probability
       CASE WHEN f.stance IS NOT NULL THEN 1.0
            ELSE greatest(q.p_supportive, q.p_opposed, q.p_neutral) END AS confidence,
       q.model_version,
       (f.stance IS NOT NULL OR f.actor_type IS NOT NULL OR f.speaker IS NOT NULL) AS corrected
FROM quotes q
JOIN articles a ON a.id = q.article_id
LEFT JOIN fixes f ON f.quote_id = q.id
WHERE coalesce(f.not_quote, 'false') <> 'true';
