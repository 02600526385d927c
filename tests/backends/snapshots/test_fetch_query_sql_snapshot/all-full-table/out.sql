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
  FROM `gdelt-bq.gdeltv2.events`
  WHERE
    SQLDATE BETWEEN 20191001 AND 20191031
) AS `t0`
ORDER BY
  `t0`.`GLOBALEVENTID` ASC NULLS LAST
