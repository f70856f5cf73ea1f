# Learned segmentation (issue 3): train the FCN, benchmark the segmenters.
.PHONY: train-fcn bench-segmentation
FCN_RUN ?= runs/fcn

train-fcn: install  ## train the segmentation FCN and export eulereye/weights/fcn.pt (see fcn.json)
	$(EULEREYE) train --out $(FCN_RUN) $(FCN_TRAIN_FLAGS) --export eulereye/weights/fcn.pt

bench-segmentation: testdata install  ## classical vs FCN vs Tesseract blocks -> bench/RESULTS.md (Segmentation section)
	$(PY) bench/segmentation.py
