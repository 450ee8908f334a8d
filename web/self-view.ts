// The small self-view: dragged with a finger or the mouse, or moved with the arrow keys, it settles in the
// nearest corner so it never covers the middle of the other person's face or the controls.

type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

function cornerFor(vertical: 'top' | 'bottom', horizontal: 'left' | 'right'): Corner {
  return `${vertical}-${horizontal}`;
}

export function makeMovable(view: HTMLElement): void {
  view.dataset.corner ??= 'top-right';
  let start: { x: number; y: number } | undefined;

  view.addEventListener('pointerdown', (event) => {
    start = { x: event.clientX, y: event.clientY };
    view.setPointerCapture(event.pointerId);
    view.classList.add('dragging');
  });
  view.addEventListener('pointermove', (event) => {
    if (start === undefined) return;
    view.style.translate = `${event.clientX - start.x}px ${event.clientY - start.y}px`;
  });
  const drop = (event: PointerEvent) => {
    if (start === undefined) return;
    start = undefined;
    view.classList.remove('dragging');
    view.style.translate = '';
    view.dataset.corner = cornerFor(
      event.clientY < window.innerHeight / 2 ? 'top' : 'bottom',
      event.clientX < window.innerWidth / 2 ? 'left' : 'right',
    );
  };
  view.addEventListener('pointerup', drop);
  view.addEventListener('pointercancel', drop);

  view.addEventListener('keydown', (event) => {
    const [vertical, horizontal] = (view.dataset.corner ?? 'top-right').split('-') as [
      'top' | 'bottom',
      'left' | 'right',
    ];
    const moves: Record<string, Corner> = {
      ArrowUp: cornerFor('top', horizontal),
      ArrowDown: cornerFor('bottom', horizontal),
      ArrowLeft: cornerFor(vertical, 'left'),
      ArrowRight: cornerFor(vertical, 'right'),
    };
    const corner = moves[event.key];
    if (corner === undefined) return;
    event.preventDefault();
    view.dataset.corner = corner;
  });
}
