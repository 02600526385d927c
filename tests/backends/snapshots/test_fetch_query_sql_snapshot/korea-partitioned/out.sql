SELECT
  *
FROM (
  SELECT
    GLOBALEVENTID,
    SQLDATE,
    Actor1Code,
    Actor1Name,
    Actor1CountryCode,
    Actor1KnownGroupCode,
    Actor1Type1Code,
    Actor2Code,
    Actor2Name,
    Actor2CountryCode,
    Actor2KnownGroupCode,
    Actor2Type1Code,
    EventCode,
    QuadClass,
    GoldsteinScale,
    NumMentions,
    NumSources,
    NumArticles,
    AvgTone,
    ActionGeo_FullName,
    ActionGeo_CountryCode,
    ActionGeo_Lat,
    ActionGeo_Long,
    SOURCEURL,
    EventRootCode
  FROM `gdelt-bq.gdeltv2.events_partitioned`
  WHERE
    _PARTITIONTIME BETWEEN TIMESTAMP('2019-10-01') AND TIMESTAMP('2019-12-01')
    AND SQLDATE BETWEEN 20191001 AND 20191031
) AS `t0`
WHERE
  TRIM(`t0`.`Actor1CountryCode`, ' \t\n\r\v\f') IN ('CHN', 'JPN', 'KOR', 'PRK', 'RUS', 'USA')
  OR TRIM(`t0`.`Actor2CountryCode`, ' \t\n\r\v\f') IN ('CHN', 'JPN', 'KOR', 'PRK', 'RUS', 'USA')
  OR TRIM(`t0`.`ActionGeo_CountryCode`, ' \t\n\r\v\f') IN ('CH', 'JA', 'KN', 'KS', 'RS', 'US')
ORDER BY
  `t0`.`GLOBALEVENTID` ASC NULLS LAST
