/** The longest run tag value MLflow accepts (`MAX_TAG_VAL_LENGTH` in `mlflow/utils/validation.py`). */
export const RUN_TAG_VALUE_LIMIT = 8000;
