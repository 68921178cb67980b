// The floor of the CSV case: stream the upload's bytes, decode them, and count line and field breaks with indexOf.
// Nothing of Plugboard is loaded here.
self.onmessage = async ({ data }) => {
  const decoder = new TextDecoder();
  const reader = data.blob.stream().getReader();
  let lines = 0;
  let fields = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const text = decoder.decode(value, { stream: true });
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
    for (let i = text.indexOf(','); i !== -1; i = text.indexOf(',', i + 1)) fields += 1;
  }
  self.postMessage({ id: data.id, lines, fields });
};
