// TrainingArguments `hf_trainer` refuses, with the reason: a module of its own, so a page can list them without loading the trainer.

/**
 * TrainingArguments this trainer cannot honour, each with the reason. Passing one (with any value other than
 * the Hugging Face default) is refused by name, never ignored.
 */
export const UNSUPPORTED_ARGUMENTS: Readonly<Record<string, { default: unknown; reason: string }>> = {
  fp16: { default: false, reason: 'the head trains in float64 on the CPU; there is no half-precision path' },
  bf16: { default: false, reason: 'the head trains in float64 on the CPU; there is no bfloat16 path' },
  tf32: { default: null, reason: 'TF32 is an NVIDIA GPU mode' },
  gradient_accumulation_steps: { default: 1, reason: 'each step updates on one batch; raise per_device_train_batch_size instead' },
  gradient_checkpointing: { default: false, reason: 'the encoder is frozen and the head is too small to need recomputation' },
  deepspeed: { default: null, reason: 'there is no DeepSpeed in a browser' },
  fsdp: { default: '', reason: 'training runs in one page or Worker; there is no sharding across devices' },
  local_rank: { default: -1, reason: 'there is no distributed training' },
  dataloader_num_workers: { default: 0, reason: 'the rows are embedded once up front; there are no loader processes' },
  torch_compile: { default: false, reason: 'there is no PyTorch here' },
  push_to_hub: { default: false, reason: 'the head is registered in the model registry (register_as), not pushed to the Hub' },
  hub_model_id: { default: null, reason: 'the head is registered in the model registry (register_as), not pushed to the Hub' },
  use_cpu: { default: false, reason: 'the head always trains on the CPU' },
  label_smoothing_factor: { default: 0, reason: 'the loss is plain cross-entropy' },
  save_total_limit: { default: null, reason: 'artifacts are kept as MLflow keeps them; delete old checkpoints from the run instead' },
};
