SELECT
  CONCAT('gdelt2:', CAST(`t26`.`GLOBALEVENTID` AS STRING)) AS `event_id`,
  'gdelt2' AS `source`,
  PARSE_DATE('%Y%m%d', CAST(`t26`.`SQLDATE` AS STRING)) AS `date`,
  'day' AS `date_precision`,
  EXTRACT(year FROM PARSE_DATE('%Y%m%d', CAST(`t26`.`SQLDATE` AS STRING))) AS `year`,
  NULLIF(TRIM(`t26`.`Actor1Code`, ' \t\n\r\v\f'), '') AS `actor1_code`,
  NULLIF(TRIM(`t26`.`Actor1Name`, ' \t\n\r\v\f'), '') AS `actor1_name`,
  COALESCE(`t26`.`_c1_iso3`, `t26`.`_k1_iso3`, `t26`.`_c1`) AS `actor1_country`,
  NULLIF(TRIM(`t26`.`Actor1Type1Code`, ' \t\n\r\v\f'), '') AS `actor1_type`,
  NULLIF(TRIM(`t26`.`Actor2Code`, ' \t\n\r\v\f'), '') AS `actor2_code`,
  NULLIF(TRIM(`t26`.`Actor2Name`, ' \t\n\r\v\f'), '') AS `actor2_name`,
  COALESCE(`t26`.`_c2_iso3`, `t26`.`_k2_iso3`, `t26`.`_c2`) AS `actor2_country`,
  NULLIF(TRIM(`t26`.`Actor2Type1Code`, ' \t\n\r\v\f'), '') AS `actor2_type`,
  `t26`.`_code` AS `event_code`,
  SUBSTRING(`t26`.`_code`, IF((
    0 + 1
  ) >= 1, 0 + 1, 0 + 1 + LENGTH(`t26`.`_code`)), 2) AS `event_root`,
  CAST(`t26`.`QuadClass` AS INT64) AS `quad_class`,
  `t26`.`GoldsteinScale` AS `goldstein`,
  CAST(`t26`.`NumMentions` AS INT64) AS `mentions`,
  CAST(`t26`.`NumSources` AS INT64) AS `sources_n`,
  CAST(`t26`.`NumArticles` AS INT64) AS `articles`,
  `t26`.`AvgTone` AS `tone`,
  `t26`.`_cg_iso3` AS `country`,
  `t26`.`ActionGeo_Lat` AS `lat`,
  `t26`.`ActionGeo_Long` AS `lon`,
  `t26`.`ActionGeo_FullName` AS `place`,
  CAST(NULL AS INT64) AS `fatalities`,
  CAST(NULL AS STRING) AS `category`,
  CAST(NULL AS STRING) AS `original_type`,
  CAST(NULL AS STRING) AS `description`,
  `t26`.`SOURCEURL` AS `url`,
  CAST(NULL AS STRING) AS `confidence`,
  CAST(NULL AS STRING) AS `source_file`,
  CAST(NULL AS INT64) AS `source_line`
FROM (
  SELECT
    `t25`.*
    EXCEPT (`_cg_key`)
  FROM (
    SELECT
      `t24`.`GLOBALEVENTID`,
      `t24`.`SQLDATE`,
      `t24`.`Actor1Code`,
      `t24`.`Actor1Name`,
      `t24`.`Actor1CountryCode`,
      `t24`.`Actor1KnownGroupCode`,
      `t24`.`Actor1Type1Code`,
      `t24`.`Actor2Code`,
      `t24`.`Actor2Name`,
      `t24`.`Actor2CountryCode`,
      `t24`.`Actor2KnownGroupCode`,
      `t24`.`Actor2Type1Code`,
      `t24`.`EventCode`,
      `t24`.`QuadClass`,
      `t24`.`GoldsteinScale`,
      `t24`.`NumMentions`,
      `t24`.`NumSources`,
      `t24`.`NumArticles`,
      `t24`.`AvgTone`,
      `t24`.`ActionGeo_FullName`,
      `t24`.`ActionGeo_CountryCode`,
      `t24`.`ActionGeo_Lat`,
      `t24`.`ActionGeo_Long`,
      `t24`.`SOURCEURL`,
      `t24`.`_c1`,
      `t24`.`_k1`,
      `t24`.`_c2`,
      `t24`.`_k2`,
      `t24`.`_cg`,
      `t24`.`_code`,
      `t24`.`_c1_iso3`,
      `t24`.`_k1_iso3`,
      `t24`.`_c2_iso3`,
      `t24`.`_k2_iso3`,
      `t6`.`_cg_key`,
      `t6`.`_cg_iso3`
    FROM (
      SELECT
        `t22`.*
        EXCEPT (`_k2_key`)
      FROM (
        SELECT
          `t21`.`GLOBALEVENTID`,
          `t21`.`SQLDATE`,
          `t21`.`Actor1Code`,
          `t21`.`Actor1Name`,
          `t21`.`Actor1CountryCode`,
          `t21`.`Actor1KnownGroupCode`,
          `t21`.`Actor1Type1Code`,
          `t21`.`Actor2Code`,
          `t21`.`Actor2Name`,
          `t21`.`Actor2CountryCode`,
          `t21`.`Actor2KnownGroupCode`,
          `t21`.`Actor2Type1Code`,
          `t21`.`EventCode`,
          `t21`.`QuadClass`,
          `t21`.`GoldsteinScale`,
          `t21`.`NumMentions`,
          `t21`.`NumSources`,
          `t21`.`NumArticles`,
          `t21`.`AvgTone`,
          `t21`.`ActionGeo_FullName`,
          `t21`.`ActionGeo_CountryCode`,
          `t21`.`ActionGeo_Lat`,
          `t21`.`ActionGeo_Long`,
          `t21`.`SOURCEURL`,
          `t21`.`_c1`,
          `t21`.`_k1`,
          `t21`.`_c2`,
          `t21`.`_k2`,
          `t21`.`_cg`,
          `t21`.`_code`,
          `t21`.`_c1_iso3`,
          `t21`.`_k1_iso3`,
          `t21`.`_c2_iso3`,
          `t7`.`_k2_key`,
          `t7`.`_k2_iso3`
        FROM (
          SELECT
            `t19`.*
            EXCEPT (`_c2_key`)
          FROM (
            SELECT
              `t18`.`GLOBALEVENTID`,
              `t18`.`SQLDATE`,
              `t18`.`Actor1Code`,
              `t18`.`Actor1Name`,
              `t18`.`Actor1CountryCode`,
              `t18`.`Actor1KnownGroupCode`,
              `t18`.`Actor1Type1Code`,
              `t18`.`Actor2Code`,
              `t18`.`Actor2Name`,
              `t18`.`Actor2CountryCode`,
              `t18`.`Actor2KnownGroupCode`,
              `t18`.`Actor2Type1Code`,
              `t18`.`EventCode`,
              `t18`.`QuadClass`,
              `t18`.`GoldsteinScale`,
              `t18`.`NumMentions`,
              `t18`.`NumSources`,
              `t18`.`NumArticles`,
              `t18`.`AvgTone`,
              `t18`.`ActionGeo_FullName`,
              `t18`.`ActionGeo_CountryCode`,
              `t18`.`ActionGeo_Lat`,
              `t18`.`ActionGeo_Long`,
              `t18`.`SOURCEURL`,
              `t18`.`_c1`,
              `t18`.`_k1`,
              `t18`.`_c2`,
              `t18`.`_k2`,
              `t18`.`_cg`,
              `t18`.`_code`,
              `t18`.`_c1_iso3`,
              `t18`.`_k1_iso3`,
              `t8`.`_c2_key`,
              `t8`.`_c2_iso3`
            FROM (
              SELECT
                `t16`.*
                EXCEPT (`_k1_key`)
              FROM (
                SELECT
                  `t15`.`GLOBALEVENTID`,
                  `t15`.`SQLDATE`,
                  `t15`.`Actor1Code`,
                  `t15`.`Actor1Name`,
                  `t15`.`Actor1CountryCode`,
                  `t15`.`Actor1KnownGroupCode`,
                  `t15`.`Actor1Type1Code`,
                  `t15`.`Actor2Code`,
                  `t15`.`Actor2Name`,
                  `t15`.`Actor2CountryCode`,
                  `t15`.`Actor2KnownGroupCode`,
                  `t15`.`Actor2Type1Code`,
                  `t15`.`EventCode`,
                  `t15`.`QuadClass`,
                  `t15`.`GoldsteinScale`,
                  `t15`.`NumMentions`,
                  `t15`.`NumSources`,
                  `t15`.`NumArticles`,
                  `t15`.`AvgTone`,
                  `t15`.`ActionGeo_FullName`,
                  `t15`.`ActionGeo_CountryCode`,
                  `t15`.`ActionGeo_Lat`,
                  `t15`.`ActionGeo_Long`,
                  `t15`.`SOURCEURL`,
                  `t15`.`_c1`,
                  `t15`.`_k1`,
                  `t15`.`_c2`,
                  `t15`.`_k2`,
                  `t15`.`_cg`,
                  `t15`.`_code`,
                  `t15`.`_c1_iso3`,
                  `t9`.`_k1_key`,
                  `t9`.`_k1_iso3`
                FROM (
                  SELECT
                    `t13`.*
                    EXCEPT (`_c1_key`)
                  FROM (
                    SELECT
                      `t12`.`GLOBALEVENTID`,
                      `t12`.`SQLDATE`,
                      `t12`.`Actor1Code`,
                      `t12`.`Actor1Name`,
                      `t12`.`Actor1CountryCode`,
                      `t12`.`Actor1KnownGroupCode`,
                      `t12`.`Actor1Type1Code`,
                      `t12`.`Actor2Code`,
                      `t12`.`Actor2Name`,
                      `t12`.`Actor2CountryCode`,
                      `t12`.`Actor2KnownGroupCode`,
                      `t12`.`Actor2Type1Code`,
                      `t12`.`EventCode`,
                      `t12`.`QuadClass`,
                      `t12`.`GoldsteinScale`,
                      `t12`.`NumMentions`,
                      `t12`.`NumSources`,
                      `t12`.`NumArticles`,
                      `t12`.`AvgTone`,
                      `t12`.`ActionGeo_FullName`,
                      `t12`.`ActionGeo_CountryCode`,
                      `t12`.`ActionGeo_Lat`,
                      `t12`.`ActionGeo_Long`,
                      `t12`.`SOURCEURL`,
                      `t12`.`_c1`,
                      `t12`.`_k1`,
                      `t12`.`_c2`,
                      `t12`.`_k2`,
                      `t12`.`_cg`,
                      `t12`.`_code`,
                      `t10`.`_c1_key`,
                      `t10`.`_c1_iso3`
                    FROM (
                      SELECT
                        `t4`.`GLOBALEVENTID`,
                        `t4`.`SQLDATE`,
                        `t4`.`Actor1Code`,
                        `t4`.`Actor1Name`,
                        `t4`.`Actor1CountryCode`,
                        `t4`.`Actor1KnownGroupCode`,
                        `t4`.`Actor1Type1Code`,
                        `t4`.`Actor2Code`,
                        `t4`.`Actor2Name`,
                        `t4`.`Actor2CountryCode`,
                        `t4`.`Actor2KnownGroupCode`,
                        `t4`.`Actor2Type1Code`,
                        `t4`.`EventCode`,
                        `t4`.`QuadClass`,
                        `t4`.`GoldsteinScale`,
                        `t4`.`NumMentions`,
                        `t4`.`NumSources`,
                        `t4`.`NumArticles`,
                        `t4`.`AvgTone`,
                        `t4`.`ActionGeo_FullName`,
                        `t4`.`ActionGeo_CountryCode`,
                        `t4`.`ActionGeo_Lat`,
                        `t4`.`ActionGeo_Long`,
                        `t4`.`SOURCEURL`,
                        NULLIF(TRIM(`t4`.`Actor1CountryCode`, ' \t\n\r\v\f'), '') AS `_c1`,
                        NULLIF(TRIM(`t4`.`Actor1KnownGroupCode`, ' \t\n\r\v\f'), '') AS `_k1`,
                        NULLIF(TRIM(`t4`.`Actor2CountryCode`, ' \t\n\r\v\f'), '') AS `_c2`,
                        NULLIF(TRIM(`t4`.`Actor2KnownGroupCode`, ' \t\n\r\v\f'), '') AS `_k2`,
                        NULLIF(TRIM(`t4`.`ActionGeo_CountryCode`, ' \t\n\r\v\f'), '') AS `_cg`,
                        NULLIF(TRIM(`t4`.`EventCode`, ' \t\n\r\v\f'), '') AS `_code`
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
                          SOURCEURL
                        FROM `gdelt-bq.gdeltv2.events_partitioned`
                        WHERE
                          _PARTITIONTIME BETWEEN TIMESTAMP('2019-01-01') AND TIMESTAMP('2020-01-31')
                          AND SQLDATE BETWEEN 20190101 AND 20191231
                      ) AS `t4`
                    ) AS `t12`
                    LEFT OUTER JOIN `ibis_pandas_memtable_0` AS `t10`
                      ON `t12`.`_c1` = `t10`.`_c1_key`
                  ) AS `t13`
                ) AS `t15`
                LEFT OUTER JOIN `ibis_pandas_memtable_1` AS `t9`
                  ON `t15`.`_k1` = `t9`.`_k1_key`
              ) AS `t16`
            ) AS `t18`
            LEFT OUTER JOIN `ibis_pandas_memtable_2` AS `t8`
              ON `t18`.`_c2` = `t8`.`_c2_key`
          ) AS `t19`
        ) AS `t21`
        LEFT OUTER JOIN `ibis_pandas_memtable_3` AS `t7`
          ON `t21`.`_k2` = `t7`.`_k2_key`
      ) AS `t22`
    ) AS `t24`
    LEFT OUTER JOIN `ibis_pandas_memtable_4` AS `t6`
      ON `t24`.`_cg` = `t6`.`_cg_key`
  ) AS `t25`
) AS `t26`
