-- Database "tiny_a": one small table, owned by app_owner.
SET ROLE app_owner;
CREATE TABLE notes (
    id   integer PRIMARY KEY,
    body text NOT NULL
);
INSERT INTO notes (id, body) SELECT g, 'note ' || g FROM generate_series(1, 10) AS g;
RESET ROLE;
