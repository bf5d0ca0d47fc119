-- Issue 19: finding a customer by part of their name among 100,000 accounts without reading
-- them all. Each word of the account's name, folded (lower case, no accents, letters and
-- digits only), is a row; a search word is a prefix range on the primary key. Filled when an
-- account is created, and at start-up for accounts that predate this table.
CREATE TABLE account_name_words (
    word TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (word, account_id)
);
CREATE INDEX account_name_words_account_idx ON account_name_words (account_id, word);
