-- 0026 on PostgreSQL: AUTOINCREMENT → identity, INTEGER → BIGINT.

-- Digital contracts (issue 15; homeq.md §8, §13 signatory_type): the lease of a letting, its
-- signatories and their signatures (core/contracts/contracts.h).
--
-- The PDF itself is a file of the media storage (core/media/storage.h), not a column: the
-- lease as rendered when the contract was made under storage_key, and, once every
-- signatory has signed, the sealed file (the lease with rentd's signed record appended,
-- core/contracts/contract_seal.h) under sealed_key. pdf_sha256 and pdf_size describe the
-- lease as it was stored, so a changed file is found by its hash.
--
-- A contract outlives its listing and application (a listing row is purged some time
-- after it is removed; a signed lease must stay verifiable): they are kept as plain ids.
-- The company's removal removes its contracts. Times are unix seconds bound from C.
CREATE TABLE contracts (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,                   -- the public id: GET /api/v1/digital_contract/verify/?uuid=
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	listing_id BIGINT,                          -- the object_ads row it let (kept after the listing is gone)
	application_id BIGINT,                      -- the applications row of the tenant
	storage_key TEXT NOT NULL,                   -- the lease PDF in the media storage
	pdf_sha256 TEXT NOT NULL,                    -- 64 lower-case hex digits
	pdf_size BIGINT NOT NULL,
	sealed_key TEXT,                             -- NULL until every signatory has signed
	sealed_at BIGINT,
	created_at BIGINT NOT NULL
);
CREATE INDEX contracts_company ON contracts(company_id, id);
CREATE INDEX contracts_application ON contracts(application_id);

-- The parties who sign, in the document's order (position), as printed in the lease; a
-- signature is signed_at being set, once.
CREATE TABLE contract_signatures (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	position BIGINT NOT NULL,
	signatory_type TEXT NOT NULL CHECK (signatory_type IN ('LANDLORD', 'TENANT', 'WARRANTOR')),
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL, -- who may sign: the employee or the applicant
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	ssn TEXT NOT NULL DEFAULT '',
	signed_at BIGINT,                           -- NULL: not yet signed
	UNIQUE (contract_id, position)
);
CREATE INDEX contract_signatures_user ON contract_signatures(user_id) WHERE user_id IS NOT NULL;
