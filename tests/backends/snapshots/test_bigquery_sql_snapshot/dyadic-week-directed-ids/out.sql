SELECT
  `t1`.`direction`,
  `t1`.`period`,
  COUNT(*) AS `events`,
  SUM(IF(`t1`.`quad_class` = 1, 1, 0)) AS `verbal_cooperation`,
  SUM(IF(`t1`.`quad_class` = 2, 1, 0)) AS `material_cooperation`,
  SUM(IF(`t1`.`quad_class` = 3, 1, 0)) AS `verbal_conflict`,
  SUM(IF(`t1`.`quad_class` = 4, 1, 0)) AS `material_conflict`,
  SUM(IF(`t1`.`quad_class` IS NULL, 1, 0)) AS `uncoded`,
  COALESCE(SUM(`t1`.`_g`), 0.0) AS `goldstein_sum`,
  COALESCE(SUM(IF(`t1`.`_g` IS NULL, 0.0, `t1`.`_w`)), 0.0) AS `weight_sum`,
  COALESCE(SUM(`t1`.`_g` * `t1`.`_w`), 0.0) AS `goldstein_wsum`,
  COALESCE(SUM(IF(`t1`.`_g` > 0, `t1`.`_g`, 0.0)), 0.0) AS `cooperation`,
  COALESCE(SUM(IF(`t1`.`_g` < 0, -(
    `t1`.`_g`
  ), 0.0)), 0.0) AS `conflict`,
  ARRAY_AGG(`t1`.`event_id` IGNORE NULLS) AS `event_ids`
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
    'PRK>KOR' AS `direction`,
    DATE_TRUNC(`t0`.`date`, WEEK(MONDAY)) AS `period`,
    CAST(ROUND(`t0`.`goldstein`, 1) AS FLOAT64) AS `_g`,
    IF(
      (
        CAST(`t0`.`sources_n` AS FLOAT64) IS NULL
      )
      OR (
        CAST(`t0`.`sources_n` AS FLOAT64) < 1
      ),
      1.0,
      LN(CAST(`t0`.`sources_n` AS FLOAT64)) + 1.0
    ) AS `_w`
  FROM `events` AS `t0`
  WHERE
    `t0`.`actor1_country` = 'PRK'
    AND `t0`.`actor2_country` = 'KOR'
    AND (
      (
        `t0`.`date_precision` IS NULL
      ) OR `t0`.`date_precision` IN ('day')
    )
) AS `t1`
GROUP BY
  1,
  2
