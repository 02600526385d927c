SELECT
  `t7`.`initiator`,
  `t7`.`incident_id`,
  `t7`.`date`,
  `t7`.`last_date`,
  `t7`.`date_precision`,
  `t7`.`family`,
  `t7`.`kind`,
  `t7`.`category`,
  `t7`.`missile_class`,
  `t7`.`element`,
  `t7`.`severity`,
  `t7`.`lethal`,
  `t7`.`events`,
  `t7`.`sources`,
  `t7`.`event_ids`
FROM (
  SELECT
    `t6`.`actor1_country` AS `initiator`,
    `t6`.`family` AS `_key`,
    `t6`.`_incident`,
    MIN_BY(`t6`.`event_id`, `t6`.`_first`) AS `incident_id`,
    MIN(`t6`.`date`) AS `date`,
    MAX(`t6`.`date`) AS `last_date`,
    MIN(COALESCE(`t6`.`date_precision`, 'day')) AS `date_precision`,
    MAX_BY(`t6`.`family`, `t6`.`_top`) AS `family`,
    MAX_BY(`t6`.`kind`, `t6`.`_top`) AS `kind`,
    MAX_BY(`t6`.`category`, `t6`.`_top`) AS `category`,
    MAX_BY(`t6`.`missile_class`, `t6`.`_top`) AS `missile_class`,
    MAX_BY(`t6`.`element`, `t6`.`_top`) AS `element`,
    MAX(`t6`.`severity`) AS `severity`,
    LOGICAL_OR(`t6`.`lethal`) AS `lethal`,
    COUNT(*) AS `events`,
    ARRAY_AGG(DISTINCT `t6`.`source` IGNORE NULLS) AS `sources`,
    ARRAY_AGG(`t6`.`event_id` IGNORE NULLS) AS `event_ids`
  FROM (
    SELECT
      `t5`.`event_id`,
      `t5`.`source`,
      `t5`.`date`,
      `t5`.`date_precision`,
      `t5`.`year`,
      `t5`.`actor1_code`,
      `t5`.`actor1_name`,
      `t5`.`actor1_country`,
      `t5`.`actor1_type`,
      `t5`.`actor2_code`,
      `t5`.`actor2_name`,
      `t5`.`actor2_country`,
      `t5`.`actor2_type`,
      `t5`.`event_code`,
      `t5`.`event_root`,
      `t5`.`quad_class`,
      `t5`.`goldstein`,
      `t5`.`mentions`,
      `t5`.`sources_n`,
      `t5`.`articles`,
      `t5`.`tone`,
      `t5`.`country`,
      `t5`.`lat`,
      `t5`.`lon`,
      `t5`.`place`,
      `t5`.`fatalities`,
      `t5`.`category`,
      `t5`.`original_type`,
      `t5`.`description`,
      `t5`.`url`,
      `t5`.`confidence`,
      `t5`.`source_file`,
      `t5`.`source_line`,
      `t5`.`missile_class`,
      `t5`.`kind`,
      `t5`.`lethal`,
      `t5`.`element`,
      `t5`.`severity`,
      `t5`.`family`,
      `t5`.`_prev`,
      `t5`.`_new`,
      `t5`.`_incident`,
      CONCAT(CONCAT(CAST(`t5`.`date` AS STRING), '|'), `t5`.`event_id`) AS `_first`,
      CONCAT(
        CONCAT(
          LPAD(
            CAST(CAST(ROUND(`t5`.`severity` * 10, 0) AS INT64) AS STRING),
            GREATEST(LENGTH(CAST(CAST(ROUND(`t5`.`severity` * 10, 0) AS INT64) AS STRING)), 5),
            '0'
          ),
          '|'
        ),
        `t5`.`event_id`
      ) AS `_top`
    FROM (
      SELECT
        `t4`.`event_id`,
        `t4`.`source`,
        `t4`.`date`,
        `t4`.`date_precision`,
        `t4`.`year`,
        `t4`.`actor1_code`,
        `t4`.`actor1_name`,
        `t4`.`actor1_country`,
        `t4`.`actor1_type`,
        `t4`.`actor2_code`,
        `t4`.`actor2_name`,
        `t4`.`actor2_country`,
        `t4`.`actor2_type`,
        `t4`.`event_code`,
        `t4`.`event_root`,
        `t4`.`quad_class`,
        `t4`.`goldstein`,
        `t4`.`mentions`,
        `t4`.`sources_n`,
        `t4`.`articles`,
        `t4`.`tone`,
        `t4`.`country`,
        `t4`.`lat`,
        `t4`.`lon`,
        `t4`.`place`,
        `t4`.`fatalities`,
        `t4`.`category`,
        `t4`.`original_type`,
        `t4`.`description`,
        `t4`.`url`,
        `t4`.`confidence`,
        `t4`.`source_file`,
        `t4`.`source_line`,
        `t4`.`missile_class`,
        `t4`.`kind`,
        `t4`.`lethal`,
        `t4`.`element`,
        `t4`.`severity`,
        `t4`.`family`,
        `t4`.`_prev`,
        `t4`.`_new`,
        SUM(`t4`.`_new`) OVER (
          PARTITION BY `t4`.`actor1_country`, `t4`.`family`
          ORDER BY `t4`.`date` ASC, `t4`.`event_id` ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS `_incident`
      FROM (
        SELECT
          `t3`.`event_id`,
          `t3`.`source`,
          `t3`.`date`,
          `t3`.`date_precision`,
          `t3`.`year`,
          `t3`.`actor1_code`,
          `t3`.`actor1_name`,
          `t3`.`actor1_country`,
          `t3`.`actor1_type`,
          `t3`.`actor2_code`,
          `t3`.`actor2_name`,
          `t3`.`actor2_country`,
          `t3`.`actor2_type`,
          `t3`.`event_code`,
          `t3`.`event_root`,
          `t3`.`quad_class`,
          `t3`.`goldstein`,
          `t3`.`mentions`,
          `t3`.`sources_n`,
          `t3`.`articles`,
          `t3`.`tone`,
          `t3`.`country`,
          `t3`.`lat`,
          `t3`.`lon`,
          `t3`.`place`,
          `t3`.`fatalities`,
          `t3`.`category`,
          `t3`.`original_type`,
          `t3`.`description`,
          `t3`.`url`,
          `t3`.`confidence`,
          `t3`.`source_file`,
          `t3`.`source_line`,
          `t3`.`missile_class`,
          `t3`.`kind`,
          `t3`.`lethal`,
          `t3`.`element`,
          `t3`.`severity`,
          `t3`.`family`,
          `t3`.`_prev`,
          IF(
            (
              `t3`.`_prev` IS NULL
            ) OR (
              DATE_DIFF(`t3`.`date`, `t3`.`_prev`, DAY) > 1
            ),
            1,
            0
          ) AS `_new`
        FROM (
          SELECT
            `t2`.`event_id`,
            `t2`.`source`,
            `t2`.`date`,
            `t2`.`date_precision`,
            `t2`.`year`,
            `t2`.`actor1_code`,
            `t2`.`actor1_name`,
            `t2`.`actor1_country`,
            `t2`.`actor1_type`,
            `t2`.`actor2_code`,
            `t2`.`actor2_name`,
            `t2`.`actor2_country`,
            `t2`.`actor2_type`,
            `t2`.`event_code`,
            `t2`.`event_root`,
            `t2`.`quad_class`,
            `t2`.`goldstein`,
            `t2`.`mentions`,
            `t2`.`sources_n`,
            `t2`.`articles`,
            `t2`.`tone`,
            `t2`.`country`,
            `t2`.`lat`,
            `t2`.`lon`,
            `t2`.`place`,
            `t2`.`fatalities`,
            `t2`.`category`,
            `t2`.`original_type`,
            `t2`.`description`,
            `t2`.`url`,
            `t2`.`confidence`,
            `t2`.`source_file`,
            `t2`.`source_line`,
            `t2`.`missile_class`,
            `t2`.`kind`,
            `t2`.`lethal`,
            `t2`.`element`,
            `t2`.`severity`,
            `t2`.`family`,
            LAG(`t2`.`date`) OVER (
              PARTITION BY `t2`.`actor1_country`, `t2`.`family`
              ORDER BY `t2`.`date` ASC, `t2`.`event_id` ASC
            ) AS `_prev`
          FROM (
            SELECT
              `t1`.`event_id`,
              `t1`.`source`,
              `t1`.`date`,
              `t1`.`date_precision`,
              `t1`.`year`,
              `t1`.`actor1_code`,
              `t1`.`actor1_name`,
              `t1`.`actor1_country`,
              `t1`.`actor1_type`,
              `t1`.`actor2_code`,
              `t1`.`actor2_name`,
              `t1`.`actor2_country`,
              `t1`.`actor2_type`,
              `t1`.`event_code`,
              `t1`.`event_root`,
              `t1`.`quad_class`,
              `t1`.`goldstein`,
              `t1`.`mentions`,
              `t1`.`sources_n`,
              `t1`.`articles`,
              `t1`.`tone`,
              `t1`.`country`,
              `t1`.`lat`,
              `t1`.`lon`,
              `t1`.`place`,
              `t1`.`fatalities`,
              `t1`.`category`,
              `t1`.`original_type`,
              `t1`.`description`,
              `t1`.`url`,
              `t1`.`confidence`,
              `t1`.`source_file`,
              `t1`.`source_line`,
              `t1`.`missile_class`,
              `t1`.`kind`,
              `t1`.`lethal`,
              CASE
                WHEN `t1`.`category` IN ('missile_test', 'nuclear_test', 'satellite_launch')
                THEN 'capabilities'
                WHEN `t1`.`category` = 'exercise'
                THEN 'drills'
                WHEN (
                  `t1`.`category` = 'infiltration'
                )
                OR (
                  (
                    `t1`.`category` = 'border_incident'
                  )
                  AND REGEXP_CONTAINS(
                    CONCAT(
                      CONCAT(LOWER(COALESCE(`t1`.`original_type`, '')), ' '),
                      LOWER(COALESCE(`t1`.`description`, ''))
                    ),
                    'incursion|intrusion|encroach|enroach|territorial|border violation|\\bdrones?\\b|\\buavs?\\b|\\bcross(es|ed|ing)?\\b|\\benter(s|ed)?\\b'
                  )
                )
                THEN 'troop_movements'
                WHEN `t1`.`category` IN (
                  'border_incident',
                  'naval_clash',
                  'artillery',
                  'armed_clash',
                  'balloon_campaign',
                  'loudspeaker'
                )
                OR (
                  `t1`.`kind` = 'armed_clash'
                )
                THEN 'border_incidents'
                ELSE CAST(NULL AS STRING)
              END AS `element`,
              CASE `t1`.`kind`
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
                `t1`.`lethal`
                AND `t1`.`kind` IN (
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
              CASE `t1`.`kind`
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
                ELSE `t1`.`kind`
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
            ) AS `t1`
            WHERE
              `t1`.`kind` IS NOT NULL AND `t1`.`actor1_country` IS NOT NULL
          ) AS `t2`
        ) AS `t3`
      ) AS `t4`
    ) AS `t5`
  ) AS `t6`
  GROUP BY
    1,
    2,
    3
) AS `t7`
