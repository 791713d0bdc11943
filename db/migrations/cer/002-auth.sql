-- cer 002: who a CER request authenticated as (MS-CER2 1.7, 2.1): the scheme, the user, domain and
-- workstation an NTLM AUTHENTICATE_MESSAGE (or a Basic header) named, and whether the password was checked.

CREATE TABLE cer_auth (
  request_id       INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
  scheme           TEXT    NOT NULL,           -- NTLM, Negotiate (NTLM inside), Negotiate-Kerberos, Basic
  user_name        TEXT    NOT NULL,
  domain           TEXT    NOT NULL,
  workstation      TEXT,                       -- NTLM only
  verified         INTEGER                     -- 1: checked against cer.credentials; NULL: none configured
);
