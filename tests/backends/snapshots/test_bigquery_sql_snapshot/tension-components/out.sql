SELECT
  `t33`.`period`,
  LN(CAST(COALESCE(`t33`.`material_conflict`, 0) AS FLOAT64) + 1) AS `material_conflict`,
  LN(CAST(COALESCE(`t33`.`verbal_conflict`, 0) AS FLOAT64) + 1) AS `verbal_conflict`,
  IF(
    COALESCE(`t33`.`weight_sum`, 0.0) > 0,
    -(
      ieee_divide(`t33`.`goldstein_wsum`, `t33`.`weight_sum`)
    ),
    CAST(NULL AS FLOAT64)
  ) AS `hostility`,
  LN(COALESCE(`t33`.`cooperation`, 0.0) + 1) AS `cooperation`,
  LN(COALESCE(`t33`.`severity_sum`, 0.0) + 1) AS `severity`,
  LN(
    COALESCE(COALESCE(`t33`.`drill_incidents`, 0.0) + COALESCE(`t33`.`table_days`, 0.0), 0.0) + 1
  ) AS `drills`,
  COALESCE(`t33`.`events`, 0) AS `events`,
  COALESCE(`t33`.`incidents`, 0) AS `incidents`,
  COALESCE(COALESCE(`t33`.`drill_incidents`, 0.0) + COALESCE(`t33`.`table_days`, 0.0), 0.0) AS `drill_days`,
  COALESCE(`t33`.`sources_active`, 0) AS `sources_active`
FROM (
  SELECT
    `t32`.*
    EXCEPT (`period_right`)
  FROM (
    SELECT
      `t31`.`period`,
      `t31`.`events`,
      `t31`.`verbal_cooperation`,
      `t31`.`material_cooperation`,
      `t31`.`verbal_conflict`,
      `t31`.`material_conflict`,
      `t31`.`uncoded`,
      `t31`.`goldstein_sum`,
      `t31`.`weight_sum`,
      `t31`.`goldstein_wsum`,
      `t31`.`cooperation`,
      `t31`.`conflict`,
      `t31`.`severity_sum`,
      `t31`.`incidents`,
      `t31`.`drill_incidents`,
      `t31`.`table_days`,
      `t8`.`period` AS `period_right`,
      `t8`.`sources_active`
    FROM (
      SELECT
        `t29`.*
        EXCEPT (`period_right`)
      FROM (
        SELECT
          `t28`.`period`,
          `t28`.`events`,
          `t28`.`verbal_cooperation`,
          `t28`.`material_cooperation`,
          `t28`.`verbal_conflict`,
          `t28`.`material_conflict`,
          `t28`.`uncoded`,
          `t28`.`goldstein_sum`,
          `t28`.`weight_sum`,
          `t28`.`goldstein_wsum`,
          `t28`.`cooperation`,
          `t28`.`conflict`,
          `t28`.`severity_sum`,
          `t28`.`incidents`,
          `t28`.`drill_incidents`,
          `t3`.`period` AS `period_right`,
          `t3`.`table_days`
        FROM (
          SELECT
            `t26`.*
            EXCEPT (`period_right`)
          FROM (
            SELECT
              `t15`.`period`,
              `t15`.`events`,
              `t15`.`verbal_cooperation`,
              `t15`.`material_cooperation`,
              `t15`.`verbal_conflict`,
              `t15`.`material_conflict`,
              `t15`.`uncoded`,
              `t15`.`goldstein_sum`,
              `t15`.`weight_sum`,
              `t15`.`goldstein_wsum`,
              `t15`.`cooperation`,
              `t15`.`conflict`,
              `t25`.`period` AS `period_right`,
              `t25`.`severity_sum`,
              `t25`.`incidents`,
              `t25`.`drill_incidents`
            FROM (
              SELECT
                `t13`.*
                EXCEPT (`period_right`)
              FROM (
                SELECT
                  `t4`.`period`,
                  `t12`.`period` AS `period_right`,
                  `t12`.`events`,
                  `t12`.`verbal_cooperation`,
                  `t12`.`material_cooperation`,
                  `t12`.`verbal_conflict`,
                  `t12`.`material_conflict`,
                  `t12`.`uncoded`,
                  `t12`.`goldstein_sum`,
                  `t12`.`weight_sum`,
                  `t12`.`goldstein_wsum`,
                  `t12`.`cooperation`,
                  `t12`.`conflict`
                FROM `ibis_pandas_memtable_0` AS `t4`
                LEFT OUTER JOIN (
                  SELECT
                    `t10`.*
                    EXCEPT (`direction`)
                  FROM (
                    SELECT
                      `t6`.`direction`,
                      `t6`.`period`,
                      COUNT(*) AS `events`,
                      SUM(IF(`t6`.`quad_class` = 1, 1, 0)) AS `verbal_cooperation`,
                      SUM(IF(`t6`.`quad_class` = 2, 1, 0)) AS `material_cooperation`,
                      SUM(IF(`t6`.`quad_class` = 3, 1, 0)) AS `verbal_conflict`,
                      SUM(IF(`t6`.`quad_class` = 4, 1, 0)) AS `material_conflict`,
                      SUM(IF(`t6`.`quad_class` IS NULL, 1, 0)) AS `uncoded`,
                      COALESCE(SUM(`t6`.`_g`), 0.0) AS `goldstein_sum`,
                      COALESCE(SUM(IF(`t6`.`_g` IS NULL, 0.0, `t6`.`_w`)), 0.0) AS `weight_sum`,
                      COALESCE(SUM(`t6`.`_g` * `t6`.`_w`), 0.0) AS `goldstein_wsum`,
                      COALESCE(SUM(IF(`t6`.`_g` > 0, `t6`.`_g`, 0.0)), 0.0) AS `cooperation`,
                      COALESCE(SUM(IF(`t6`.`_g` < 0, -(
                        `t6`.`_g`
                      ), 0.0)), 0.0) AS `conflict`
                    FROM (
                      SELECT
                        `t0`.`event_id`,
                        `t0`.`source`,
                        `t0`.`date`,
                        `t0`.`date_precision`,
                        `t0`.`year`,
                        `t0`.`actor1_code`,
                        `t0`.`actor1_name`,
                        `t0`.`actor1_country`,
                        `t0`.`actor1_type`,
                        `t0`.`actor2_code`,
                        `t0`.`actor2_name`,
                        `t0`.`actor2_country`,
                        `t0`.`actor2_type`,
                        `t0`.`event_code`,
                        `t0`.`event_root`,
                        `t0`.`quad_class`,
                        `t0`.`goldstein`,
                        `t0`.`mentions`,
                        `t0`.`sources_n`,
                        `t0`.`articles`,
                        `t0`.`tone`,
                        `t0`.`country`,
                        `t0`.`lat`,
                        `t0`.`lon`,
                        `t0`.`place`,
                        `t0`.`fatalities`,
                        `t0`.`category`,
                        `t0`.`original_type`,
                        `t0`.`description`,
                        `t0`.`url`,
                        `t0`.`confidence`,
                        `t0`.`source_file`,
                        `t0`.`source_line`,
                        'PRK-KOR' AS `direction`,
                        DATE_TRUNC(`t0`.`date`, MONTH) AS `period`,
                        CAST(ROUND(`t0`.`goldstein`, 1) AS FLOAT64) AS `_g`,
                        IF(
                          (
                            CAST(`t0`.`mentions` AS FLOAT64) IS NULL
                          )
                          OR (
                            CAST(`t0`.`mentions` AS FLOAT64) < 1
                          ),
                          1.0,
                          LN(CAST(`t0`.`mentions` AS FLOAT64)) + 1.0
                        ) AS `_w`
                      FROM `events` AS `t0`
                      WHERE
                        (
                          (
                            (
                              `t0`.`actor1_country` = 'PRK'
                            ) AND (
                              `t0`.`actor2_country` = 'KOR'
                            )
                          )
                          OR (
                            (
                              `t0`.`actor1_country` = 'KOR'
                            ) AND (
                              `t0`.`actor2_country` = 'PRK'
                            )
                          )
                        )
                        AND (
                          (
                            `t0`.`date_precision` IS NULL
                          ) OR `t0`.`date_precision` IN ('day', 'month')
                        )
                        AND `t0`.`date` >= DATE(2019, 1, 1)
                        AND `t0`.`date` <= DATE(2019, 12, 31)
                    ) AS `t6`
                    GROUP BY
                      1,
                      2
                  ) AS `t10`
                ) AS `t12`
                  ON `t4`.`period` = `t12`.`period`
              ) AS `t13`
            ) AS `t15`
            LEFT OUTER JOIN (
              SELECT
                `t23`.`period`,
                SUM(IF(`t23`.`severity` > 0, `t23`.`severity`, 0.0)) AS `severity_sum`,
                SUM(CAST(`t23`.`severity` > 0 AS INT64)) AS `incidents`,
                SUM(CAST(`t23`.`element` = 'drills' AS FLOAT64)) AS `drill_incidents`
              FROM (
                SELECT
                  `t22`.`initiator`,
                  `t22`.`incident_id`,
                  `t22`.`date`,
                  `t22`.`last_date`,
                  `t22`.`date_precision`,
                  `t22`.`family`,
                  `t22`.`kind`,
                  `t22`.`category`,
                  `t22`.`missile_class`,
                  `t22`.`element`,
                  `t22`.`severity`,
                  `t22`.`lethal`,
                  `t22`.`events`,
                  `t22`.`sources`,
                  `t22`.`event_ids`,
                  DATE_TRUNC(`t22`.`date`, MONTH) AS `period`
                FROM (
                  SELECT
                    `t21`.`actor1_country` AS `initiator`,
                    `t21`.`family` AS `_key`,
                    `t21`.`_incident`,
                    MIN_BY(`t21`.`event_id`, `t21`.`_first`) AS `incident_id`,
                    MIN(`t21`.`date`) AS `date`,
                    MAX(`t21`.`date`) AS `last_date`,
                    MIN(COALESCE(`t21`.`date_precision`, 'day')) AS `date_precision`,
                    MAX_BY(`t21`.`family`, `t21`.`_top`) AS `family`,
                    MAX_BY(`t21`.`kind`, `t21`.`_top`) AS `kind`,
                    MAX_BY(`t21`.`category`, `t21`.`_top`) AS `category`,
                    MAX_BY(`t21`.`missile_class`, `t21`.`_top`) AS `missile_class`,
                    MAX_BY(`t21`.`element`, `t21`.`_top`) AS `element`,
                    MAX(`t21`.`severity`) AS `severity`,
                    LOGICAL_OR(`t21`.`lethal`) AS `lethal`,
                    COUNT(*) AS `events`,
                    ARRAY_AGG(DISTINCT `t21`.`source` IGNORE NULLS) AS `sources`,
                    ARRAY_AGG(`t21`.`event_id` IGNORE NULLS) AS `event_ids`
                  FROM (
                    SELECT
                      `t20`.`event_id`,
                      `t20`.`source`,
                      `t20`.`date`,
                      `t20`.`date_precision`,
                      `t20`.`year`,
                      `t20`.`actor1_code`,
                      `t20`.`actor1_name`,
                      `t20`.`actor1_country`,
                      `t20`.`actor1_type`,
                      `t20`.`actor2_code`,
                      `t20`.`actor2_name`,
                      `t20`.`actor2_country`,
                      `t20`.`actor2_type`,
                      `t20`.`event_code`,
                      `t20`.`event_root`,
                      `t20`.`quad_class`,
                      `t20`.`goldstein`,
                      `t20`.`mentions`,
                      `t20`.`sources_n`,
                      `t20`.`articles`,
                      `t20`.`tone`,
                      `t20`.`country`,
                      `t20`.`lat`,
                      `t20`.`lon`,
                      `t20`.`place`,
                      `t20`.`fatalities`,
                      `t20`.`category`,
                      `t20`.`original_type`,
                      `t20`.`description`,
                      `t20`.`url`,
                      `t20`.`confidence`,
                      `t20`.`source_file`,
                      `t20`.`source_line`,
                      `t20`.`missile_class`,
                      `t20`.`kind`,
                      `t20`.`lethal`,
                      `t20`.`element`,
                      `t20`.`severity`,
                      `t20`.`family`,
                      `t20`.`_prev`,
                      `t20`.`_new`,
                      `t20`.`_incident`,
                      CONCAT(CONCAT(CAST(`t20`.`date` AS STRING), '|'), `t20`.`event_id`) AS `_first`,
                      CONCAT(
                        CONCAT(
                          LPAD(
                            CAST(CAST(ROUND(`t20`.`severity` * 10, 0) AS INT64) AS STRING),
                            GREATEST(LENGTH(CAST(CAST(ROUND(`t20`.`severity` * 10, 0) AS INT64) AS STRING)), 5),
                            '0'
                          ),
                          '|'
                        ),
                        `t20`.`event_id`
                      ) AS `_top`
                    FROM (
                      SELECT
                        `t19`.`event_id`,
                        `t19`.`source`,
                        `t19`.`date`,
                        `t19`.`date_precision`,
                        `t19`.`year`,
                        `t19`.`actor1_code`,
                        `t19`.`actor1_name`,
                        `t19`.`actor1_country`,
                        `t19`.`actor1_type`,
                        `t19`.`actor2_code`,
                        `t19`.`actor2_name`,
                        `t19`.`actor2_country`,
                        `t19`.`actor2_type`,
                        `t19`.`event_code`,
                        `t19`.`event_root`,
                        `t19`.`quad_class`,
                        `t19`.`goldstein`,
                        `t19`.`mentions`,
                        `t19`.`sources_n`,
                        `t19`.`articles`,
                        `t19`.`tone`,
                        `t19`.`country`,
                        `t19`.`lat`,
                        `t19`.`lon`,
                        `t19`.`place`,
                        `t19`.`fatalities`,
                        `t19`.`category`,
                        `t19`.`original_type`,
                        `t19`.`description`,
                        `t19`.`url`,
                        `t19`.`confidence`,
                        `t19`.`source_file`,
                        `t19`.`source_line`,
                        `t19`.`missile_class`,
                        `t19`.`kind`,
                        `t19`.`lethal`,
                        `t19`.`element`,
                        `t19`.`severity`,
                        `t19`.`family`,
                        `t19`.`_prev`,
                        `t19`.`_new`,
                        SUM(`t19`.`_new`) OVER (
                          PARTITION BY `t19`.`actor1_country`, `t19`.`family`
                          ORDER BY `t19`.`date` ASC, `t19`.`event_id` ASC
                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                        ) AS `_incident`
                      FROM (
                        SELECT
                          `t18`.`event_id`,
                          `t18`.`source`,
                          `t18`.`date`,
                          `t18`.`date_precision`,
                          `t18`.`year`,
                          `t18`.`actor1_code`,
                          `t18`.`actor1_name`,
                          `t18`.`actor1_country`,
                          `t18`.`actor1_type`,
                          `t18`.`actor2_code`,
                          `t18`.`actor2_name`,
                          `t18`.`actor2_country`,
                          `t18`.`actor2_type`,
                          `t18`.`event_code`,
                          `t18`.`event_root`,
                          `t18`.`quad_class`,
                          `t18`.`goldstein`,
                          `t18`.`mentions`,
                          `t18`.`sources_n`,
                          `t18`.`articles`,
                          `t18`.`tone`,
                          `t18`.`country`,
                          `t18`.`lat`,
                          `t18`.`lon`,
                          `t18`.`place`,
                          `t18`.`fatalities`,
                          `t18`.`category`,
                          `t18`.`original_type`,
                          `t18`.`description`,
                          `t18`.`url`,
                          `t18`.`confidence`,
                          `t18`.`source_file`,
                          `t18`.`source_line`,
                          `t18`.`missile_class`,
                          `t18`.`kind`,
                          `t18`.`lethal`,
                          `t18`.`element`,
                          `t18`.`severity`,
                          `t18`.`family`,
                          `t18`.`_prev`,
                          IF(
                            (
                              `t18`.`_prev` IS NULL
                            )
                            OR (
                              DATE_DIFF(`t18`.`date`, `t18`.`_prev`, DAY) > 1
                            ),
                            1,
                            0
                          ) AS `_new`
                        FROM (
                          SELECT
                            `t17`.`event_id`,
                            `t17`.`source`,
                            `t17`.`date`,
                            `t17`.`date_precision`,
                            `t17`.`year`,
                            `t17`.`actor1_code`,
                            `t17`.`actor1_name`,
                            `t17`.`actor1_country`,
                            `t17`.`actor1_type`,
                            `t17`.`actor2_code`,
                            `t17`.`actor2_name`,
                            `t17`.`actor2_country`,
                            `t17`.`actor2_type`,
                            `t17`.`event_code`,
                            `t17`.`event_root`,
                            `t17`.`quad_class`,
                            `t17`.`goldstein`,
                            `t17`.`mentions`,
                            `t17`.`sources_n`,
                            `t17`.`articles`,
                            `t17`.`tone`,
                            `t17`.`country`,
                            `t17`.`lat`,
                            `t17`.`lon`,
                            `t17`.`place`,
                            `t17`.`fatalities`,
                            `t17`.`category`,
                            `t17`.`original_type`,
                            `t17`.`description`,
                            `t17`.`url`,
                            `t17`.`confidence`,
                            `t17`.`source_file`,
                            `t17`.`source_line`,
                            `t17`.`missile_class`,
                            `t17`.`kind`,
                            `t17`.`lethal`,
                            `t17`.`element`,
                            `t17`.`severity`,
                            `t17`.`family`,
                            LAG(`t17`.`date`) OVER (
                              PARTITION BY `t17`.`actor1_country`, `t17`.`family`
                              ORDER BY `t17`.`date` ASC, `t17`.`event_id` ASC
                            ) AS `_prev`
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                `t9`.`event_id`,
                                `t9`.`source`,
                                `t9`.`date`,
                                `t9`.`date_precision`,
                                `t9`.`year`,
                                `t9`.`actor1_code`,
                                `t9`.`actor1_name`,
                                `t9`.`actor1_country`,
                                `t9`.`actor1_type`,
                                `t9`.`actor2_code`,
                                `t9`.`actor2_name`,
                                `t9`.`actor2_country`,
                                `t9`.`actor2_type`,
                                `t9`.`event_code`,
                                `t9`.`event_root`,
                                `t9`.`quad_class`,
                                `t9`.`goldstein`,
                                `t9`.`mentions`,
                                `t9`.`sources_n`,
                                `t9`.`articles`,
                                `t9`.`tone`,
                                `t9`.`country`,
                                `t9`.`lat`,
                                `t9`.`lon`,
                                `t9`.`place`,
                                `t9`.`fatalities`,
                                `t9`.`category`,
                                `t9`.`original_type`,
                                `t9`.`description`,
                                `t9`.`url`,
                                `t9`.`confidence`,
                                `t9`.`source_file`,
                                `t9`.`source_line`,
                                `t9`.`missile_class`,
                                `t9`.`kind`,
                                `t9`.`lethal`,
                                CASE
                                  WHEN `t9`.`category` IN ('missile_test', 'nuclear_test', 'satellite_launch')
                                  THEN 'capabilities'
                                  WHEN `t9`.`category` = 'exercise'
                                  THEN 'drills'
                                  WHEN (
                                    `t9`.`category` = 'infiltration'
                                  )
                                  OR (
                                    (
                                      `t9`.`category` = 'border_incident'
                                    )
                                    AND REGEXP_CONTAINS(
                                      CONCAT(
                                        CONCAT(LOWER(COALESCE(`t9`.`original_type`, '')), ' '),
                                        LOWER(COALESCE(`t9`.`description`, ''))
                                      ),
                                      'incursion|intrusion|encroach|enroach|territorial|border violation|\\bdrones?\\b|\\buavs?\\b|\\bcross(es|ed|ing)?\\b|\\benter(s|ed)?\\b'
                                    )
                                  )
                                  THEN 'troop_movements'
                                  WHEN `t9`.`category` IN (
                                    'border_incident',
                                    'naval_clash',
                                    'artillery',
                                    'armed_clash',
                                    'balloon_campaign',
                                    'loudspeaker'
                                  )
                                  OR (
                                    `t9`.`kind` = 'armed_clash'
                                  )
                                  THEN 'border_incidents'
                                  ELSE CAST(NULL AS STRING)
                                END AS `element`,
                                CASE `t9`.`kind`
                                  WHEN 'nuclear_test'
                                  THEN 10.0
                                  WHEN 'missile:icbm'
                                  THEN 8.0
                                  WHEN 'missile:irbm'
                                  THEN 6.0
                                  WHEN 'missile:slbm'
                                  THEN 6.0
                                  WHEN 'missile:hypersonic'
                                  THEN 6.0
                                  WHEN 'satellite_launch'
                                  THEN 5.0
                                  WHEN 'missile:mrbm'
                                  THEN 4.0
                                  WHEN 'missile:srbm'
                                  THEN 2.0
                                  WHEN 'missile:cruise'
                                  THEN 2.0
                                  WHEN 'missile:other'
                                  THEN 1.0
                                  WHEN 'naval_clash'
                                  THEN 5.0
                                  WHEN 'armed_clash'
                                  THEN 5.0
                                  WHEN 'artillery'
                                  THEN 4.0
                                  WHEN 'infiltration'
                                  THEN 3.0
                                  WHEN 'border_incident'
                                  THEN 3.0
                                  WHEN 'other_provocation'
                                  THEN 3.0
                                  WHEN 'cyber'
                                  THEN 2.0
                                  WHEN 'militarized_incident'
                                  THEN 1.0
                                  WHEN 'balloon_campaign'
                                  THEN 1.0
                                  WHEN 'loudspeaker'
                                  THEN 1.0
                                  ELSE 0.0
                                END + IF(
                                  `t9`.`lethal`
                                  AND `t9`.`kind` IN (
                                    'naval_clash',
                                    'armed_clash',
                                    'artillery',
                                    'infiltration',
                                    'border_incident',
                                    'other_provocation',
                                    'militarized_incident'
                                  ),
                                  5.0,
                                  0.0
                                ) AS `severity`,
                                CASE `t9`.`kind`
                                  WHEN 'missile:icbm'
                                  THEN 'launch'
                                  WHEN 'missile:slbm'
                                  THEN 'launch'
                                  WHEN 'missile:irbm'
                                  THEN 'launch'
                                  WHEN 'missile:mrbm'
                                  THEN 'launch'
                                  WHEN 'missile:hypersonic'
                                  THEN 'launch'
                                  WHEN 'missile:cruise'
                                  THEN 'launch'
                                  WHEN 'missile:srbm'
                                  THEN 'launch'
                                  WHEN 'missile:other'
                                  THEN 'launch'
                                  WHEN 'satellite_launch'
                                  THEN 'launch'
                                  WHEN 'border_incident'
                                  THEN 'clash'
                                  WHEN 'naval_clash'
                                  THEN 'clash'
                                  WHEN 'artillery'
                                  THEN 'clash'
                                  WHEN 'armed_clash'
                                  THEN 'clash'
                                  WHEN 'infiltration'
                                  THEN 'clash'
                                  WHEN 'balloon_campaign'
                                  THEN 'propaganda'
                                  WHEN 'loudspeaker'
                                  THEN 'propaganda'
                                  ELSE `t9`.`kind`
                                END AS `family`
                              FROM (
                                SELECT
                                  `t0`.`event_id`,
                                  `t0`.`source`,
                                  `t0`.`date`,
                                  `t0`.`date_precision`,
                                  `t0`.`year`,
                                  `t0`.`actor1_code`,
                                  `t0`.`actor1_name`,
                                  `t0`.`actor1_country`,
                                  `t0`.`actor1_type`,
                                  `t0`.`actor2_code`,
                                  `t0`.`actor2_name`,
                                  `t0`.`actor2_country`,
                                  `t0`.`actor2_type`,
                                  `t0`.`event_code`,
                                  `t0`.`event_root`,
                                  `t0`.`quad_class`,
                                  `t0`.`goldstein`,
                                  `t0`.`mentions`,
                                  `t0`.`sources_n`,
                                  `t0`.`articles`,
                                  `t0`.`tone`,
                                  `t0`.`country`,
                                  `t0`.`lat`,
                                  `t0`.`lon`,
                                  `t0`.`place`,
                                  `t0`.`fatalities`,
                                  `t0`.`category`,
                                  `t0`.`original_type`,
                                  `t0`.`description`,
                                  `t0`.`url`,
                                  `t0`.`confidence`,
                                  `t0`.`source_file`,
                                  `t0`.`source_line`,
                                  IF(
                                    `t0`.`category` = 'missile_test',
                                    COALESCE(
                                      COALESCE(
                                        CASE
                                          WHEN REGEXP_CONTAINS(
                                            LOWER(COALESCE(`t0`.`original_type`, '')),
                                            'icbm|intercontinental|inter-continental'
                                          )
                                          THEN 'icbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'slbm|submarine[- ]launched')
                                          THEN 'slbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'irbm|intermediate[- ]range')
                                          THEN 'irbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'mrbm|medium[- ]range')
                                          THEN 'mrbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), '\\bhgv\\b|hypersonic')
                                          THEN 'hypersonic'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'cruise')
                                          THEN 'cruise'
                                          WHEN REGEXP_CONTAINS(
                                            LOWER(COALESCE(`t0`.`original_type`, '')),
                                            'srbm|short[- ]range ballistic|short[- ]range missile'
                                          )
                                          THEN 'srbm'
                                          ELSE CAST(NULL AS STRING)
                                        END,
                                        CASE
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'icbm|intercontinental|inter-continental')
                                          THEN 'icbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'slbm|submarine[- ]launched')
                                          THEN 'slbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'irbm|intermediate[- ]range')
                                          THEN 'irbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'mrbm|medium[- ]range')
                                          THEN 'mrbm'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), '\\bhgv\\b|hypersonic')
                                          THEN 'hypersonic'
                                          WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'cruise')
                                          THEN 'cruise'
                                          WHEN REGEXP_CONTAINS(
                                            LOWER(COALESCE(`t0`.`description`, '')),
                                            'srbm|short[- ]range ballistic|short[- ]range missile'
                                          )
                                          THEN 'srbm'
                                          ELSE CAST(NULL AS STRING)
                                        END
                                      ),
                                      'other'
                                    ),
                                    CAST(NULL AS STRING)
                                  ) AS `missile_class`,
                                  CASE
                                    WHEN `t0`.`category` = 'missile_test'
                                    THEN CONCAT(
                                      'missile:',
                                      IF(
                                        `t0`.`category` = 'missile_test',
                                        COALESCE(
                                          COALESCE(
                                            CASE
                                              WHEN REGEXP_CONTAINS(
                                                LOWER(COALESCE(`t0`.`original_type`, '')),
                                                'icbm|intercontinental|inter-continental'
                                              )
                                              THEN 'icbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'slbm|submarine[- ]launched')
                                              THEN 'slbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'irbm|intermediate[- ]range')
                                              THEN 'irbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'mrbm|medium[- ]range')
                                              THEN 'mrbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), '\\bhgv\\b|hypersonic')
                                              THEN 'hypersonic'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), 'cruise')
                                              THEN 'cruise'
                                              WHEN REGEXP_CONTAINS(
                                                LOWER(COALESCE(`t0`.`original_type`, '')),
                                                'srbm|short[- ]range ballistic|short[- ]range missile'
                                              )
                                              THEN 'srbm'
                                              ELSE CAST(NULL AS STRING)
                                            END,
                                            CASE
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'icbm|intercontinental|inter-continental')
                                              THEN 'icbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'slbm|submarine[- ]launched')
                                              THEN 'slbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'irbm|intermediate[- ]range')
                                              THEN 'irbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'mrbm|medium[- ]range')
                                              THEN 'mrbm'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), '\\bhgv\\b|hypersonic')
                                              THEN 'hypersonic'
                                              WHEN REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`description`, '')), 'cruise')
                                              THEN 'cruise'
                                              WHEN REGEXP_CONTAINS(
                                                LOWER(COALESCE(`t0`.`description`, '')),
                                                'srbm|short[- ]range ballistic|short[- ]range missile'
                                              )
                                              THEN 'srbm'
                                              ELSE CAST(NULL AS STRING)
                                            END
                                          ),
                                          'other'
                                        ),
                                        CAST(NULL AS STRING)
                                      )
                                    )
                                    WHEN (
                                      `t0`.`category` = 'militarized_incident'
                                    )
                                    AND REGEXP_CONTAINS(LOWER(COALESCE(`t0`.`original_type`, '')), '\\b(clash|attack)\\b')
                                    THEN 'armed_clash'
                                    ELSE `t0`.`category`
                                  END AS `kind`,
                                  (
                                    COALESCE(`t0`.`fatalities`, 0) > 0
                                  )
                                  OR REGEXP_CONTAINS(
                                    LOWER(COALESCE(`t0`.`description`, '')),
                                    '\\b(killed|killing|dead)\\b|fatality level [1-6]'
                                  ) AS `lethal`
                                FROM `events` AS `t0`
                                WHERE
                                  `t0`.`source` IN ('kb', 'cns', 'csis', 'cow_mid')
                                  AND `t0`.`actor1_country` IN ('PRK', 'KOR')
                                  AND (
                                    (
                                      `t0`.`actor2_country` IS NULL
                                    ) OR `t0`.`actor2_country` IN ('PRK', 'KOR')
                                  )
                                  AND `t0`.`date` >= DATE(2019, 1, 1)
                                  AND `t0`.`date` <= DATE(2019, 12, 31)
                              ) AS `t9`
                            ) AS `t16`
                            WHERE
                              NOT (
                                (
                                  `t16`.`source` = 'kb'
                                ) AND (
                                  `t16`.`element` = 'drills'
                                )
                              )
                              AND `t16`.`kind` IS NOT NULL
                              AND `t16`.`actor1_country` IS NOT NULL
                          ) AS `t17`
                        ) AS `t18`
                      ) AS `t19`
                    ) AS `t20`
                  ) AS `t21`
                  GROUP BY
                    1,
                    2,
                    3
                ) AS `t22`
                WHERE
                  (
                    `t22`.`date_precision` IS NULL
                  )
                  OR `t22`.`date_precision` IN ('day', 'month')
              ) AS `t23`
              GROUP BY
                1
            ) AS `t25`
              ON `t15`.`period` = `t25`.`period`
          ) AS `t26`
        ) AS `t28`
        LEFT OUTER JOIN `ibis_pandas_memtable_1` AS `t3`
          ON `t28`.`period` = `t3`.`period`
      ) AS `t29`
    ) AS `t31`
    LEFT OUTER JOIN (
      SELECT
        `t5`.`period`,
        COUNT(DISTINCT `t5`.`source`) AS `sources_active`
      FROM (
        SELECT
          `t0`.`event_id`,
          `t0`.`source`,
          `t0`.`date`,
          `t0`.`date_precision`,
          `t0`.`year`,
          `t0`.`actor1_code`,
          `t0`.`actor1_name`,
          `t0`.`actor1_country`,
          `t0`.`actor1_type`,
          `t0`.`actor2_code`,
          `t0`.`actor2_name`,
          `t0`.`actor2_country`,
          `t0`.`actor2_type`,
          `t0`.`event_code`,
          `t0`.`event_root`,
          `t0`.`quad_class`,
          `t0`.`goldstein`,
          `t0`.`mentions`,
          `t0`.`sources_n`,
          `t0`.`articles`,
          `t0`.`tone`,
          `t0`.`country`,
          `t0`.`lat`,
          `t0`.`lon`,
          `t0`.`place`,
          `t0`.`fatalities`,
          `t0`.`category`,
          `t0`.`original_type`,
          `t0`.`description`,
          `t0`.`url`,
          `t0`.`confidence`,
          `t0`.`source_file`,
          `t0`.`source_line`,
          DATE_TRUNC(`t0`.`date`, MONTH) AS `period`
        FROM `events` AS `t0`
        WHERE
          (
            `t0`.`actor1_country` IN ('PRK', 'KOR')
            OR `t0`.`actor2_country` IN ('PRK', 'KOR')
          )
          AND (
            (
              `t0`.`date_precision` IS NULL
            ) OR `t0`.`date_precision` IN ('day', 'month')
          )
          AND `t0`.`date` BETWEEN DATE(2019, 1, 1) AND DATE(2019, 12, 31)
      ) AS `t5`
      GROUP BY
        1
    ) AS `t8`
      ON `t31`.`period` = `t8`.`period`
  ) AS `t32`
) AS `t33`
ORDER BY
  `t33`.`period` ASC NULLS LAST
