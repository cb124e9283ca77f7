/**
 * <ops-room-results>: reads the results files and codes a facilitator gives it (file picker,
 * drag and drop, or pasted text), adds each to the room (room-tally.ts) and shows the tally, every
 * entry with links that reopen its settings on the lab's page, and every problem with its reason.
 * Files are read with File.text() and codes unpacked in the page: nothing is fetched, so it works
 * from the offline archive opened as a file.
 */
import { ResultsError, decodeResultsCode, readResultsFile, type LabResults } from './results-format.ts';
import { addToRoom, countOf, emptyRoom, splitCodes, tally, type LabOutline, type Room } from './room-tally.ts';

async function attempt(read: () => Promise<LabResults> | LabResults): Promise<LabResults | { error: string }> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ResultsError) return { error: error.message };
    return { error: 'it could not be read' };
  }
}

class OpsRoomResults extends HTMLElement {
  private room: Room = emptyRoom();
  private outline: LabOutline = { id: '', exercises: [] };
  private codesAdded = 0;

  connectedCallback(): void {
    this.outline = JSON.parse(this.dataset.outline ?? '{}') as LabOutline;
    const files = this.q<HTMLInputElement>('[data-role=room-files]');
    files.addEventListener('change', () => {
      void this.addFiles([...(files.files ?? [])]).then(() => (files.value = ''));
    });
    const drop = this.q('[data-role=room-drop]');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('dragging');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('dragging');
      void this.addFiles([...(e.dataTransfer?.files ?? [])]);
    });
    this.q('[data-role=room-add-codes]').addEventListener('click', () => void this.addCodes());
    this.q('[data-role=room-clear]').addEventListener('click', () => {
      this.room = emptyRoom();
      this.codesAdded = 0;
      this.render('Cleared: the room is empty.');
    });
    this.dataset.ready = 'true';
  }

  private async addFiles(list: File[]): Promise<void> {
    for (const file of list) {
      const read = await attempt(async () => readResultsFile(await file.text()));
      this.room = addToRoom(this.room, this.outline, file.name, read);
    }
    this.render(`Read ${countOf(list.length, 'file', 'files')}.`);
  }

  /** Adds every code in the box; the ones that could not be read stay in it, to be mended and added again. */
  private async addCodes(): Promise<void> {
    const box = this.q<HTMLTextAreaElement>('[data-role=room-codes]');
    const codes = splitCodes(box.value);
    const left: string[] = [];
    for (const code of codes) {
      this.codesAdded += 1;
      const source = `code ${this.codesAdded}`;
      const read = await attempt(() => decodeResultsCode(code));
      this.room = addToRoom(this.room, this.outline, source, read);
      if ('error' in read || this.room.problems.at(-1)?.source === source) left.push(code);
    }
    box.value = left.join('\n');
    const kept = left.length > 0 ? ` ${countOf(left.length, 'code was', 'codes were')} not added and ${left.length === 1 ? 'stays' : 'stay'} in the box.` : '';
    this.render(`Read ${countOf(codes.length, 'code', 'codes')}.${kept}`);
  }

  private render(status: string): void {
    const { entries, passed } = tally(this.room, this.outline);
    this.q('[data-role=room-status]').textContent = status;
    this.q('[data-role=room-clear]').hidden = this.room.entries.length + this.room.problems.length === 0;
    this.q('[data-role=room-problems]').replaceChildren(
      ...this.room.problems.map((p) => this.li(`${p.source}: not added, because ${p.reason}.`)),
    );
    this.q('[data-role=room-tally]').hidden = this.room.entries.length === 0;
    this.toggleAttribute('data-filled', this.room.entries.length > 0);
    this.q('[data-role=room-caption]').textContent = `How many of the room's ${countOf(entries, 'entry', 'entries')} passed each exercise`;
    this.q('[data-role=room-rows]').replaceChildren(
      ...passed.map((x, i) => {
        const row = document.createElement('tr');
        row.dataset.exercise = x.id;
        row.append(this.cell('th', `${i + 1}. ${x.title}`), this.cell('td', `${x.count} of ${entries}`));
        row.firstElementChild!.setAttribute('scope', 'row');
        return row;
      }),
    );
    this.q('[data-role=room-entries]').replaceChildren(...this.room.entries.map((entry) => this.entryItem(entry, passed.length)));
  }

  private entryItem(entry: Room['entries'][number], total: number): HTMLLIElement {
    const r = entry.results;
    const li = this.li(`${r.name || 'No name given'} (${entry.source}): ${r.exercises.length} of ${total} passed`);
    if (entry.duplicateOf !== null) li.append(`, the same as entry ${entry.duplicateOf + 1}, so counted once`);
    li.append(r.exercises.length > 0 ? ': ' : '.');
    r.exercises.forEach((e, i) => {
      const number = this.outline.exercises.findIndex((x) => x.id === e.id) + 1;
      const page = new URL(this.q<HTMLAnchorElement>('[data-role=room-lab-page]').href);
      page.search = e.settings;
      page.hash = 'sim';
      const a = Object.assign(document.createElement('a'), { href: page.href, target: 'opslab-player', textContent: `exercise ${number}` });
      li.append(a, i < r.exercises.length - 1 ? ', ' : '.');
    });
    return li;
  }

  private li(text: string): HTMLLIElement {
    return Object.assign(document.createElement('li'), { textContent: text });
  }

  private cell(tag: 'th' | 'td', text: string): HTMLElement {
    return Object.assign(document.createElement(tag), { textContent: text });
  }

  private q<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.querySelector<T>(selector)!;
  }
}

if (!customElements.get('ops-room-results')) customElements.define('ops-room-results', OpsRoomResults);
