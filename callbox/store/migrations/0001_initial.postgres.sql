-- Every record, one row each: the columns lookups and listings need, and the whole record as
-- JSON (callbox.store.codec). `position` orders listings (newest created first) and pages them.
CREATE TABLE records (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    sid TEXT NOT NULL,
    account_sid TEXT NOT NULL,
    unique_key TEXT,
    data JSONB NOT NULL
);
CREATE UNIQUE INDEX records_by_sid ON records (kind, sid);
CREATE UNIQUE INDEX records_by_unique_key ON records (kind, unique_key);
CREATE INDEX records_by_account ON records (kind, account_sid, position);
-- The fields Twilio's list filters compare for equality (To, From, Status, CallSid).
CREATE INDEX records_by_to ON records (kind, account_sid, (data ->> 'to'), position);
CREATE INDEX records_by_from ON records (kind, account_sid, (data ->> 'from_'), position);
CREATE INDEX records_by_status ON records (kind, account_sid, (data ->> 'status'), position);
CREATE INDEX records_by_call ON records (kind, account_sid, (data ->> 'call_sid'), position);
-- A recording's audio (WAV bytes), beside its record.
CREATE TABLE recording_audio (
    recording_sid TEXT PRIMARY KEY,
    wav BYTEA NOT NULL
);
