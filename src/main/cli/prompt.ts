/** Reads a secret from the terminal without echoing it. */
export function promptHidden(question: string, output: (text: string) => void): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let answer = '';
    output(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') answer = [...answer].slice(0, -1).join('');
        else answer += char;
      }
    };
    input.on('data', onData);
  });
}

export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Reads one visible line from the terminal. */
export function promptLine(question: string, output: (text: string) => void): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve) => {
    output(question);
    input.resume();
    input.setEncoding('utf8');
    let answer = '';
    const onData = (text: string) => {
      const end = text.search(/[\r\n]/);
      if (end === -1) {
        answer += text;
        return;
      }
      answer += text.slice(0, end);
      input.off('data', onData);
      input.pause();
      resolve(answer);
    };
    input.on('data', onData);
  });
}
