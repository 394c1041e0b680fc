-- The plaintext copy of the report's rows (bench/flatten.cc), loaded once per size by
-- scripts/bench.sh; report_queries.sql runs on it. Not timed.
CREATE TABLE pushbacks(id TEXT, month TEXT, pushed_from TEXT, pushed_to TEXT, people INT,
                       asylum INT, minors INT, chain INT);
CREATE TABLE violence(id TEXT, month TEXT, type INT);
CREATE TABLE perpetrators(id TEXT, month TEXT, type INT);
CREATE TABLE nationalities(id TEXT, month TEXT, nationality TEXT, people INT);
CREATE TABLE ages(id TEXT, month TEXT, band INT, people INT);
CREATE TABLE conditions(id TEXT, month TEXT, facility TEXT, facility_type TEXT, condition INT,
                        severity INT);
.import --csv pushbacks.csv pushbacks
.import --csv violence.csv violence
.import --csv perpetrators.csv perpetrators
.import --csv nationalities.csv nationalities
.import --csv ages.csv ages
.import --csv conditions.csv conditions
-- The store's records table has records_by_month(incident_month, kind); the same here.
CREATE INDEX pushbacks_by_month ON pushbacks(month);
CREATE INDEX violence_by_month ON violence(month);
CREATE INDEX perpetrators_by_month ON perpetrators(month);
CREATE INDEX nationalities_by_month ON nationalities(month);
CREATE INDEX ages_by_month ON ages(month);
CREATE INDEX conditions_by_month ON conditions(month);
ANALYZE;
