"""Pages of the reviews app: peer reviewers (:mod:`.peer`), beamline scientists
(:mod:`.technical`) and the user office (:mod:`.staff`)."""
