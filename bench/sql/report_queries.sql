-- The aggregation of `tvault report` as GROUP BY queries on the plaintext copy: every table of
-- the catalogue (pipeline/tables.cc), per month from January to the reported month (the
-- year-to-date tables are the sums of these). scripts/bench.sh replaces @FROM@ and @TO@.
-- people_by_route, testimonies_by_route
SELECT month, pushed_from, pushed_to, sum(people), count(*) FROM pushbacks
  WHERE month BETWEEN '@FROM@' AND '@TO@' GROUP BY 1, 2, 3;
-- people_by_nationality: every nationality its own row (nationality_min_people = 1, the
-- default since folding rare ones into "other" was found to disclose cells across reports)
SELECT month, nationality, sum(people) FROM nationalities
  WHERE month BETWEEN '@FROM@' AND '@TO@' GROUP BY 1, 2;
-- people_by_age
SELECT month, band, sum(people) FROM ages WHERE month BETWEEN '@FROM@' AND '@TO@' GROUP BY 1, 2;
-- testimonies_by_violence, testimonies_by_perpetrator ("not reported" = testimonies - reported)
SELECT month, type, count(*) FROM violence WHERE month BETWEEN '@FROM@' AND '@TO@' GROUP BY 1, 2;
SELECT month, type, count(*) FROM perpetrators WHERE month BETWEEN '@FROM@' AND '@TO@'
  GROUP BY 1, 2;
-- testimonies_by_asylum_intention, _minors_involved, _chain
SELECT month, asylum, count(*) FROM pushbacks WHERE month BETWEEN '@FROM@' AND '@TO@'
  GROUP BY 1, 2;
SELECT month, minors, count(*) FROM pushbacks WHERE month BETWEEN '@FROM@' AND '@TO@'
  GROUP BY 1, 2;
SELECT month, chain, count(*) FROM pushbacks WHERE month BETWEEN '@FROM@' AND '@TO@'
  GROUP BY 1, 2;
-- facility_testimonies
SELECT month, facility, count(DISTINCT id) FROM conditions
  WHERE month BETWEEN '@FROM@' AND '@TO@' GROUP BY 1, 2;
-- facility_type_conditions
SELECT month, facility_type, condition, count(DISTINCT id) FROM conditions
  WHERE month BETWEEN '@FROM@' AND '@TO@' AND condition <> '' GROUP BY 1, 2, 3;
-- condition_severity: each testimony counts once per condition, at its most severe level
SELECT month, condition, worst, count(*) FROM
  (SELECT id, month, condition, max(severity) AS worst FROM conditions
   WHERE month BETWEEN '@FROM@' AND '@TO@' AND condition <> '' GROUP BY id, month, condition)
  GROUP BY 1, 2, 3;
