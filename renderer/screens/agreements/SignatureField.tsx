// One person's signature: drawn on a full-width pad (mouse, touch or pen, through signature_pad), with
// clear and undo; or, for anyone who cannot or would rather not draw, their name typed and attested.
// The typed way needs no pointer at all (WCAG 2.5.1, 2.5.7), and is recorded as typed.
import { useEffect, useRef } from 'react';
import SignaturePad, { type PointGroup } from 'signature_pad';
import type { z } from 'zod';
import type { drawnSignatureSchema, signatureSchema } from '../../../src/contract/ops/agreements.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Checkbox, Radios, TextField, type FieldErrors } from '../../components/form.js';

export interface Drawing {
  groups: PointGroup[];
  width: number;
  height: number;
  png: string;
}

export interface SignerState {
  name: string;
  role: string;
  method: 'drawn' | 'typed';
  drawing: Drawing | null;
  typedName: string;
  attestation: boolean;
}

export const EMPTY_SIGNER: SignerState = { name: '', role: '', method: 'drawn', drawing: null, typedName: '', attestation: false };

const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);

/** The signature as the store takes it: points in the pad's own pixels, kept inside its box. */
export function toSignature(state: SignerState): z.input<typeof signatureSchema> | null {
  if (state.method === 'typed') return state.attestation ? { method: 'typed', typedName: state.typedName, attestation: true } : null;
  const d = state.drawing;
  if (!d) return null;
  const drawn: z.input<typeof drawnSignatureSchema> = {
    method: 'drawn',
    width: d.width,
    height: d.height,
    png: d.png,
    strokes: d.groups.map((g) => ({
      points: g.points.map((p) => ({
        x: clamp(p.x, d.width),
        y: clamp(p.y, d.height),
        time: Math.max(0, Math.round(p.time)),
        pressure: clamp(p.pressure, 1),
      })),
    })),
  };
  return drawn;
}

function DrawPad({
  id,
  label,
  drawing,
  onChange,
}: {
  id: string;
  label: string;
  drawing: Drawing | null;
  onChange: (drawing: Drawing | null) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const size = useRef({ width: 0, height: 0 });
  const changed = useRef(onChange);
  changed.current = onChange;
  const initial = useRef(drawing);

  const capture = () => {
    const pad = padRef.current;
    if (!pad) return;
    const groups = pad.toData();
    changed.current(groups.length === 0 ? null : { groups, ...size.current, png: pad.toDataURL('image/png') });
  };

  useEffect(() => {
    const canvas = canvasRef.current!;
    // Sharp on high-density screens: the bitmap is scaled, the points stay in CSS pixels.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const width = Math.round(canvas.offsetWidth);
    const height = Math.round(canvas.offsetHeight);
    size.current = { width, height };
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.getContext('2d')!.scale(ratio, ratio);
    const pad = new SignaturePad(canvas, { penColor: '#0b0c0c', minWidth: 1, maxWidth: 3 });
    padRef.current = pad;
    if (initial.current) pad.fromData(initial.current.groups);
    pad.addEventListener('endStroke', capture);
    return () => {
      pad.removeEventListener('endStroke', capture);
      pad.off();
      padRef.current = null;
    };
  }, []);

  const clear = () => {
    padRef.current?.clear();
    changed.current(null);
  };
  const undo = () => {
    const pad = padRef.current;
    if (!pad) return;
    const groups = pad.toData();
    groups.pop();
    pad.fromData(groups);
    capture();
  };

  return (
    <div className="govuk-form-group">
      <p className="govuk-body" id={`${id}-pad-hint`}>
        Sign in the box with a mouse, a finger or a pen.
      </p>
      <canvas
        ref={canvasRef}
        id={`${id}-pad`}
        className="app-signature-pad"
        role="img"
        aria-label={`${label}: signature drawing area`}
        aria-describedby={`${id}-pad-hint`}
        data-testid={`${id}-pad`}
      />
      <ButtonGroup>
        <Button variant="secondary" onClick={undo} disabled={!drawing}>
          Undo last stroke
        </Button>
        <Button variant="secondary" onClick={clear} disabled={!drawing}>
          Clear
        </Button>
      </ButtonGroup>
    </div>
  );
}

export function SignatureField({
  id,
  who,
  value,
  onChange,
  errors,
}: {
  id: string;
  who: string;
  value: SignerState;
  onChange: (next: SignerState) => void;
  errors: FieldErrors;
}) {
  const set = (patch: Partial<SignerState>) => onChange({ ...value, ...patch });
  return (
    <>
      <TextField
        id={`${id}-name`}
        label={`${who}: full name`}
        value={value.name}
        onChange={(name) => set({ name })}
        error={errors[`${id}-name`]}
        width="30"
        autoComplete="off"
      />
      <TextField
        id={`${id}-role`}
        label={`${who}: role`}
        hint="Job title or role in the group"
        value={value.role}
        onChange={(role) => set({ role })}
        error={errors[`${id}-role`]}
        width="30"
        autoComplete="off"
      />
      <Radios
        id={`${id}-method`}
        name={`${id}-method`}
        legend="How will they sign?"
        value={value.method}
        onChange={(method) => set({ method })}
        inline
        options={[
          { value: 'drawn', label: 'Draw a signature' },
          { value: 'typed', label: 'Type their name instead' },
        ]}
      />
      {value.method === 'drawn' ? (
        <div className={errors[`${id}-signature`] ? 'govuk-form-group govuk-form-group--error' : ''}>
          {errors[`${id}-signature`] && (
            <p className="govuk-error-message" id={`${id}-signature`}>
              <span className="govuk-visually-hidden">Error:</span> {errors[`${id}-signature`]}
            </p>
          )}
          <DrawPad id={id} label={who} drawing={value.drawing} onChange={(drawing) => set({ drawing })} />
        </div>
      ) : (
        <>
          <TextField
            id={`${id}-typedName`}
            label="Signature: type the full name"
            hint="Exactly as the name above"
            value={value.typedName}
            onChange={(typedName) => set({ typedName })}
            error={errors[`${id}-typedName`] ?? errors[`${id}-signature`]}
            width="30"
            autoComplete="off"
          />
          <Checkbox
            id={`${id}-attestation`}
            label="I confirm that typing my name here is my signature to this agreement"
            checked={value.attestation}
            onChange={(attestation) => set({ attestation })}
            error={errors[`${id}-attestation`]}
          />
        </>
      )}
    </>
  );
}
